using AspireJwks.Issuer.RateLimiting;
using AspireJwks.Issuer.Telemetry;
using AspireJwks.Issuer.Tokens;
using AspireJwks.Protocol.DPoP;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AspireJwks.Issuer.Endpoints;

/// <summary><c>POST /token</c>: the OAuth 2.0 client credentials grant (RFC 6749 section 4.4).</summary>
internal static class TokenApi
{
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/token", IssueToken)
            .DisableAntiforgery()
            .RequireRateLimiting(TokenRateLimiting.PerAddressPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(TokenRequestReader.MaxBodyBytes));
        return app;
    }

    public static async Task<Results<Ok<TokenResponse>, BadRequest<OAuthError>, InvalidClientHttpResult, TooManyRequestsHttpResult, TemporarilyUnavailableHttpResult>> IssueToken(
        HttpContext context, TokenService tokens, IssuanceTelemetry telemetry, CancellationToken cancellationToken)
    {
        // RFC 6749 5.1: token responses (and, for safety, errors) must never be cached.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        using var issuance = telemetry.Start();

        var request = await TokenRequestReader.ReadAsync(context.Request, cancellationToken);
        var outcome = request.Value is { } parsed ? await tokens.HandleAsync(parsed, cancellationToken) : new TokenOutcome.Refused(null, request.Error!);
        Record(issuance, outcome);

        return outcome switch
        {
            TokenOutcome.Issued issued => TypedResults.Ok(
                new TokenResponse(issued.Token.Token, issued.Token.TokenType, issued.Token.ExpiresInSeconds, issued.Scope)),
            TokenOutcome.RateLimited limited => new TooManyRequestsHttpResult(limited.RetryAfter),
            TokenOutcome.Unavailable => new TemporarilyUnavailableHttpResult(),
            TokenOutcome.Refused { Error.Error: OAuthErrorCodes.InvalidClient } refused => new InvalidClientHttpResult(refused.Error),
            TokenOutcome.Refused { DPoPNonce: { } nonce } refused => WithNonce(context, nonce, TypedResults.BadRequest(refused.Error)),
            TokenOutcome.Refused refused => TypedResults.BadRequest(refused.Error),
            _ => throw new InvalidOperationException($"Unknown token outcome {outcome.GetType().Name}."),
        };
    }

    private static void Record(TokenIssuance issuance, TokenOutcome outcome)
    {
        switch (outcome)
        {
            case TokenOutcome.Issued issued:
                issuance.Authenticated(issued.ClientId, issued.Method);
                issuance.Issued(issued.Token, issued.Scope);
                break;
            case TokenOutcome.RateLimited limited:
                issuance.Authenticated(limited.ClientId);
                issuance.Rejected("rate_limited");
                break;
            case TokenOutcome.Unavailable unavailable:
                if (unavailable.ClientId is not null)
                {
                    issuance.Authenticated(unavailable.ClientId);
                }
                issuance.Rejected(OAuthErrorCodes.TemporarilyUnavailable, unavailable.Reason);
                break;
            case TokenOutcome.Refused refused:
                if (refused.ClientId is not null)
                {
                    issuance.Authenticated(refused.ClientId, refused.Method);
                }
                issuance.Rejected(refused.Error.Error, refused.FailureReason);
                break;
        }
    }

    private static BadRequest<OAuthError> WithNonce(HttpContext context, string nonce, BadRequest<OAuthError> result)
    {
        context.Response.Headers[DPoPProtocol.NonceHeaderName] = nonce;
        return result;
    }
}
