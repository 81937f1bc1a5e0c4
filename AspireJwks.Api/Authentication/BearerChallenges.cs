using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace AspireJwks.Api.Authentication;

/// <summary>
/// RFC 6750 section 3 answers, without JwtBearer's error descriptions (which would tell an attacker
/// exactly which check a forged token failed).
/// </summary>
internal static class BearerChallenges
{
    public static Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        // A request that carried no token gets the bare challenge (RFC 6750 3.1); a token that
        // failed any check gets invalid_token.
        context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        return Task.CompletedTask;
    }

    public static Func<ForbiddenContext, Task> Forbidden(string requiredScope) => context =>
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{requiredScope}\"";
        return Task.CompletedTask;
    };
}
