using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace AspireJwks.Api.Authentication;

/// <summary>
/// Where JwtBearer meets <see cref="StrictTokenChecks"/>, and the guarantee that a hostile request
/// costs a 401, never a 500: JwtBearer rethrows any exception from its events, its configuration
/// manager or the token handler unless an <c>AuthenticationFailed</c> handler settles the result.
/// </summary>
internal static class StrictBearerEvents
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>
    /// Reads the token from the <c>Authorization</c> header (RFC 6750 section 2.1 only: never the
    /// query string or a form) and refuses it before validation when its form is not strict.
    /// </summary>
    public static Task MessageReceived(MessageReceivedContext context)
    {
        var authorization = context.Request.Headers.Authorization;
        if (authorization.Count == 0)
        {
            // No credentials at all: the bare challenge of RFC 6750 section 3.1.
            return Task.CompletedTask;
        }
        if (authorization.Count > 1)
        {
            context.Fail("Several Authorization headers.");
            return Task.CompletedTask;
        }
        var value = authorization[0] ?? "";
        if (!value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // Another scheme (Basic, Digest, a bare token) sent to an API that only knows Bearer
            // is a misused credential, refused as such rather than silently ignored.
            context.Fail("The Authorization header is not a Bearer credential.");
            return Task.CompletedTask;
        }

        var token = value[BearerPrefix.Length..].TrimStart(' ');
        var checks = context.HttpContext.RequestServices.GetRequiredService<StrictTokenChecks>();
        if (checks.FindViolation(token) is { } violation)
        {
            context.Fail(violation);
            return Task.CompletedTask;
        }
        // Validate exactly the string that was checked.
        context.Token = token;
        return Task.CompletedTask;
    }

    /// <summary>Settles every failure, including unexpected exceptions, as a failed authentication (401).</summary>
    public static Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        context.Fail(context.Exception);
        return Task.CompletedTask;
    }
}
