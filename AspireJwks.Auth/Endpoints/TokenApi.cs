using AspireJwks.Auth.RateLimiting;
using AspireJwks.Auth.Telemetry;
using AspireJwks.Auth.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;

namespace AspireJwks.Auth.Endpoints;

/// <summary><c>POST /token</c>: the OAuth 2.0 client credentials grant (RFC 6749 section 4.4).</summary>
public static class TokenApi
{
    public const string ClientCredentialsGrant = "client_credentials";

    // A client credentials request is a few hundred bytes; anything near this limit is abuse.
    private const long MaxRequestBodyBytes = 8 * 1024;

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/token", IssueToken)
            .DisableAntiforgery()
            .RequireRateLimiting(TokenRateLimiting.PerAddressPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBodyBytes));
        return app;
    }

    public static async Task<Results<Ok<TokenResponse>, JsonHttpResult<OAuthError>, StatusCodeHttpResult>> IssueToken(
        HttpContext context,
        ClientAuthenticator authenticator,
        ClientRateLimiter clientLimiter,
        AccessTokenIssuer issuer,
        IssuanceTelemetry telemetry,
        CancellationToken cancellationToken)
    {
        // RFC 6749 5.1: token responses (and, for safety, errors) must never be cached.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        using var issuance = telemetry.Start();

        var form = await ReadFormAsync(context.Request, cancellationToken);
        if (form is null)
        {
            return Reject(issuance, StatusCodes.Status400BadRequest,
                OAuthError.InvalidRequest("The body must be a form (application/x-www-form-urlencoded)."));
        }
        if (form.Any(parameter => parameter.Value.Count > 1))
        {
            // RFC 6749 3.2: parameters must not be included more than once.
            return Reject(issuance, StatusCodes.Status400BadRequest, OAuthError.InvalidRequest("A parameter was repeated."));
        }

        var grantType = Single(form, "grant_type");
        if (string.IsNullOrEmpty(grantType))
        {
            return Reject(issuance, StatusCodes.Status400BadRequest, OAuthError.InvalidRequest("grant_type is required."));
        }
        if (grantType != ClientCredentialsGrant)
        {
            return Reject(issuance, StatusCodes.Status400BadRequest,
                new OAuthError(OAuthErrorCodes.UnsupportedGrantType, "Only the client_credentials grant is supported."));
        }

        var authentication = authenticator.Authenticate(
            context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null,
            Single(form, "client_id"),
            Single(form, "client_secret"));
        if (authentication.Client is not { } client)
        {
            var error = authentication.Error!;
            if (error.Error == OAuthErrorCodes.InvalidClient)
            {
                // RFC 6749 5.2: a 401 for invalid_client names the scheme the client should use.
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"aspirejwks\", charset=\"UTF-8\"";
                return Reject(issuance, StatusCodes.Status401Unauthorized, error);
            }
            return Reject(issuance, StatusCodes.Status400BadRequest, error);
        }
        issuance.Authenticated(client.ClientId);

        using var lease = clientLimiter.Acquire(client.ClientId);
        if (!lease.IsAcquired)
        {
            issuance.Rejected("rate_limited");
            TokenBuckets.WriteRejection(context.Response, lease);
            return TypedResults.StatusCode(StatusCodes.Status429TooManyRequests);
        }

        var requestedScopes = (Single(form, "scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requestedScopes.FirstOrDefault(scope => !client.Scopes.Contains(scope, StringComparer.Ordinal)) is { } refused)
        {
            return Reject(issuance, StatusCodes.Status400BadRequest,
                new OAuthError(OAuthErrorCodes.InvalidScope, $"The scope '{refused}' is not allowed for this client."));
        }
        var scope = string.Join(' ', requestedScopes.Length > 0 ? requestedScopes.Distinct(StringComparer.Ordinal) : client.Scopes);

        var issued = issuer.Issue(client, scope);
        issuance.Issued(issued, scope);
        return TypedResults.Ok(new TokenResponse(issued.Token, "Bearer", issued.ExpiresInSeconds, scope));
    }

    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // RFC 6749 4.4.2: the body is application/x-www-form-urlencoded; multipart is a form to
        // ASP.NET Core but not to OAuth.
        if (!request.HasFormContentType
            || !string.Equals(request.GetTypedHeaders().ContentType?.MediaType.Value, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }

    private static string? Single(IFormCollection form, string name) =>
        form.TryGetValue(name, out StringValues values) ? values.ToString() : null;

    private static JsonHttpResult<OAuthError> Reject(TokenIssuance issuance, int statusCode, OAuthError error)
    {
        issuance.Rejected(error.Error);
        return TypedResults.Json(error, AuthJsonContext.Default.OAuthError, statusCode: statusCode);
    }
}
