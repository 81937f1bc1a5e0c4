using AspireJwks.Authentication.TokenValidation;
using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Authentication.TokenValidation.Telemetry;
using AspireJwks.Protocol.DPoP;
using AspireJwks.Store;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>Token validation for an API that the AppHost joined with <c>WithTokenValidation</c>.</summary>
public static class TokenValidationExtensions
{
    /// <summary>
    /// Protects the service with AspireJwks access tokens: JwtBearer with every strict check, the
    /// issuer's JWKS fetched through service discovery, cached and refreshed in the background,
    /// the validated-token cache, the <c>token.validate</c> telemetry and RFC 6750 challenges, all
    /// from the <c>TokenValidation</c> settings the AppHost gives (a missing one stops the service
    /// at start, naming it). <c>/health</c> reports ready once a signing key is trusted. Call after
    /// <c>AddServiceDefaults</c>; then mark endpoints with
    /// <see cref="RequireScope"/>.
    /// </summary>
    public static TBuilder AddTokenValidation<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddValidatedOptions<TokenValidationOptions, TokenValidationOptionsValidator>(TokenValidationOptions.SectionName);
        // Where the replicas agree on DPoP proof replays and hear of key changes: the store, else this process.
        builder.AddTokenStore();
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);

        // The JWKS client bounds each fetch itself (JwksClient); the standard resilience handler's
        // retries and 30 s budget would outlast a short refresh interval, so it is removed here.
        // RemoveAllResilienceHandlers is marked for evaluation; it is the documented way to do this.
#pragma warning disable EXTEXP0001
        services.AddHttpClient(JwksClient.HttpClientName, (provider, http) =>
                http.BaseAddress = new Uri(provider.GetRequiredService<IOptions<TokenValidationOptions>>().Value.Authority))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        services.AddSingleton<JwksClient>();
        services.AddSingleton<JwksKeySource>();
        services.AddHostedService<JwksRefreshService>();
        services.AddHealthChecks().AddCheck<JwksReadiness>(JwksReadiness.Name);

        services.AddSingleton<AccessTokenReader>();
        services.AddSingleton<AccessTokenHandler>();
        services.AddSingleton<ValidatedTokenCache>();
        // One proof validator (and so one proof replay cache) per process, shared by every request.
        services.TryAddSingleton<DPoPProofValidator>();
        services.AddSingleton<BoundTokenCheck>();
        services.AddSingleton<TokenValidationTelemetry>();
        services.AddSingleton<TokenValidationEvents>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        // After AddJwtBearer, so that it runs after JwtBearer's own post-configuration.
        services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, ConfigureJwtBearer>();
        services.AddAuthorization();

        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(TokenValidationInstrumentation.SourceName));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(TokenValidationInstrumentation.MeterName));

        // Refusals are logged once each by the validation telemetry, rate-limited; JwtBearer's own
        // per-token lines would repeat them without the limit.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Authentication.JwtBearer", LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// Requires a valid access token whose <c>scope</c> claim holds at least one of <paramref name="scopes"/>;
    /// another valid token gets 403 with <c>error="insufficient_scope"</c> naming them, no valid token 401.
    /// </summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] scopes) where TBuilder : IEndpointConventionBuilder
    {
        var required = new RequiredScopes(scopes);
        return builder.WithMetadata(required).RequireAuthorization(required.Policy());
    }
}
