using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace AspireJwks.Api.Telemetry;

public static class TokenValidationTelemetryExtensions
{
    public static IServiceCollection AddTokenValidationTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<TokenValidationTelemetry>();
        services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, ValidatedTokenCapture>();
        return services;
    }

    /// <summary>Must come before <c>UseAuthentication</c>, so the span covers the validation.</summary>
    public static IApplicationBuilder UseTokenValidationTelemetry(this IApplicationBuilder app) =>
        app.UseMiddleware<TokenValidationTelemetryMiddleware>();
}
