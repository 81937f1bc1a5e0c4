namespace AspireJwks.Api.Telemetry;

/// <summary>
/// Runs before the authentication middleware, and only for requests that carry a bearer token:
/// anonymous requests (health probes) cost nothing.
/// </summary>
internal sealed class TokenValidationTelemetryMiddleware(RequestDelegate next, TokenValidationTelemetry telemetry)
{
    public const string BearerPrefix = "Bearer ";

    public async Task InvokeAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization;
        if (authorization.Count != 1 || !authorization[0]!.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var result = await telemetry.AuthenticateAsync(context);
        await next(context);
        if (result.Succeeded && context.Response.StatusCode == StatusCodes.Status403Forbidden)
        {
            telemetry.RecordForbidden(context);
        }
    }
}
