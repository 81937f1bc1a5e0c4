using AspireJwks.Authentication.TokenValidation.Telemetry;
using AspireJwks.Protocol;
using AspireJwks.Protocol.DPoP;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using R = AspireJwks.Authentication.TokenValidation.TokenRejectionReasons;

namespace AspireJwks.Authentication.TokenValidation;

/// <summary>
/// The one place AspireJwks meets JwtBearer (set as <c>JwtBearerOptions.EventsType</c>): where the
/// token comes from (the Authorization header only, RFC 6750 section 2.1), the validated-token
/// cache, the telemetry of every outcome, the RFC 6750 challenges, and the guarantee that a
/// hostile request costs a 401, never a 500 (JwtBearer rethrows any exception from validation
/// unless <see cref="AuthenticationFailed"/> settles it).
/// </summary>
internal sealed class TokenValidationEvents(
    ValidatedTokenCache cache,
    BoundTokenCheck binding,
    TokenValidationTelemetry telemetry,
    TimeProvider timeProvider) : JwtBearerEvents
{
    private const string BearerPrefix = AccessTokenProtocol.BearerScheme + " ";
    private const string DPoPPrefix = AccessTokenProtocol.DPoPScheme + " ";
    private static readonly string DPoPChallenge = $"{AccessTokenProtocol.DPoPScheme} algs=\"{DPoPProtocol.AlgorithmList}\"";

    public override Task MessageReceived(MessageReceivedContext context)
    {
        var authorization = context.Request.Headers.Authorization;
        if (authorization.Count == 0)
        {
            // No credentials at all: the bare challenge of RFC 6750 section 3.1, and no span.
            return Task.CompletedTask;
        }
        var attempt = new ValidationAttempt(timeProvider.GetTimestamp());
        var value = authorization.Count == 1 ? authorization[0] : null;
        var scheme = value is null ? null
            : value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? AccessTokenProtocol.BearerScheme
            : value.StartsWith(DPoPPrefix, StringComparison.OrdinalIgnoreCase) ? AccessTokenProtocol.DPoPScheme
            : null;
        if (scheme is null)
        {
            // Several headers, or another scheme (Basic, a bare token) sent to an API that only
            // knows Bearer and DPoP: a misused credential, refused as such rather than silently ignored.
            telemetry.RecordInvalid(R.Malformed, TokenFacts.None, attempt.StartTimestamp);
            context.Fail(new TokenRejectedException(R.Malformed, "The Authorization header is not one Bearer or DPoP credential.", TokenFacts.None));
            return Task.CompletedTask;
        }

        attempt.Scheme = scheme;
        attempt.Token = value![(scheme.Length + 1)..].TrimStart(' ');
        context.HttpContext.Features.Set(attempt);
        if (cache.TryGet(attempt.Token, out var cached))
        {
            // The cache answers for the token; its binding to this request is checked all the same.
            if (Refusal(context.HttpContext, attempt, cached!.Token) is { } refused)
            {
                context.Fail(refused);
                return Task.CompletedTask;
            }
            attempt.Validated = cached.Token;
            context.Principal = cached.CreatePrincipal();
            context.Success();
            telemetry.RecordValid(cached.Token, attempt.StartTimestamp, cacheHit: true);
            return Task.CompletedTask;
        }
        // Validate exactly the string that was read, not JwtBearer's own reading of the header.
        context.Token = attempt.Token;
        return Task.CompletedTask;
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        var attempt = context.HttpContext.Features.GetRequiredFeature<ValidationAttempt>();
        var token = (AccessToken)context.SecurityToken;
        if (Refusal(context.HttpContext, attempt, token) is { } refused)
        {
            // JwtBearer calls AuthenticationFailed only for exceptions, not for a failure set here.
            context.Fail(refused);
            return Task.CompletedTask;
        }
        attempt.Validated = token;
        if (context.Principal?.Identity is System.Security.Claims.ClaimsIdentity identity)
        {
            cache.Add(attempt.Token!, token, identity);
        }
        telemetry.RecordValid(token, attempt.StartTimestamp, cacheHit: false);
        return Task.CompletedTask;
    }

    /// <summary>Settles every failure, including unexpected exceptions, as a failed authentication (401).</summary>
    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        var started = context.HttpContext.Features.Get<ValidationAttempt>()?.StartTimestamp ?? timeProvider.GetTimestamp();
        var (reason, facts) = context.Exception is TokenRejectedException rejected
            ? (rejected.Reason, rejected.Facts)
            : (R.InvalidToken, TokenFacts.None);
        telemetry.RecordInvalid(reason, facts, started);
        context.Fail(context.Exception);
        return Task.CompletedTask;
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        // A request that carried no token gets the bare challenge (RFC 6750 section 3.1); a token
        // that failed any check gets invalid_token, without saying which check: that would tell
        // an attacker exactly what to change. A DPoP request hears only whether its proof or its
        // token was refused (RFC 9449 section 7.1), and a DPoP-only API asks for DPoP.
        var usedDPoP = context.HttpContext.Features.Get<ValidationAttempt>()?.Scheme == AccessTokenProtocol.DPoPScheme;
        context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure switch
        {
            // RFC 9449 section 7.1: a DPoP challenge names its error and the algorithms proofs may use.
            DPoPRejectedException dpop => $"{DPoPChallenge}, error=\"{dpop.Error}\"",
            not null when usedDPoP || binding.RequireDPoP => $"{DPoPChallenge}, error=\"invalid_token\"",
            not null => AccessTokenProtocol.BearerScheme + " error=\"invalid_token\"",
            null => binding.RequireDPoP ? DPoPChallenge : AccessTokenProtocol.BearerScheme,
        };
        return Task.CompletedTask;
    }

    /// <summary>Why this request may not present the valid <paramref name="token"/> (recorded), or null.</summary>
    private DPoPRejectedException? Refusal(HttpContext context, ValidationAttempt attempt, AccessToken token)
    {
        var refused = binding.Check(context.Request, attempt.Scheme!, attempt.Token!, token);
        if (refused is not null)
        {
            telemetry.RecordInvalid(refused.Reason, refused.Facts, attempt.StartTimestamp);
        }
        return refused;
    }

    public override Task Forbidden(ForbiddenContext context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        var required = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<RequiredScopes>();
        var attempt = context.HttpContext.Features.Get<ValidationAttempt>();
        // The challenge of the scheme the token came with (RFC 9449 section 7.1 for DPoP).
        var scheme = attempt?.Scheme ?? AccessTokenProtocol.BearerScheme;
        context.Response.Headers.WWWAuthenticate = required is null
            ? scheme + " error=\"insufficient_scope\""
            : $"{scheme} error=\"insufficient_scope\", scope=\"{required.SpaceSeparated}\"";
        telemetry.RecordForbidden(attempt?.Validated?.Facts ?? TokenFacts.None);
        return Task.CompletedTask;
    }

    /// <summary>This request's validation, from the header to the outcome: when it began and what it read.</summary>
    private sealed class ValidationAttempt(long startTimestamp)
    {
        public long StartTimestamp => startTimestamp;

        /// <summary>The Authorization scheme the token came with: Bearer or DPoP.</summary>
        public string? Scheme { get; set; }

        public string? Token { get; set; }

        public AccessToken? Validated { get; set; }
    }
}
