using System.Runtime.Versioning;
using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Options;
using AspireJwks.Issuer.RateLimiting;
using AspireJwks.Issuer.Registry;
using AspireJwks.Issuer.Telemetry;
using AspireJwks.Issuer.Tokens;
using AspireJwks.KeyStore;
using AspireJwks.Protocol.DPoP;
using AspireJwks.Store;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>The token issuer, hosted in a web project of your own (the one the AppHost marks with <c>AsTokenIssuer</c>).</summary>
public static class TokenIssuerExtensions
{
    /// <summary>
    /// Registers the token issuer: the key store it signs with (re-read when it changes), the
    /// registered APIs and clients, client authentication (<c>client_secret_basic</c>,
    /// <c>client_secret_post</c>, <c>private_key_jwt</c>), DPoP, rate limiting and the
    /// <c>token.issue</c> telemetry (ActivitySource and meter <c>AspireJwks.Issuer</c>), all from
    /// the settings the AppHost gives (a missing one stops the service at start, naming it). Call
    /// after <c>AddServiceDefaults</c>; then map the endpoints with <c>MapTokenIssuer</c>.
    /// </summary>
    public static TBuilder AddTokenIssuer<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (OperatingSystem.IsWindows())
        {
            throw KeyStorePlatform.NotSupported();
        }
        builder.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(AuthOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, RegistryRules>();
        builder.Services.AddSingleton<IssuerRegistry>();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.AddValidatedOptions<KeyStoreOptions, KeyStoreOptionsValidator>(KeyStoreOptions.SectionName);
        AddKeyStoreReading(builder.Services);
        builder.Services.AddSingleton<ClientAssertionValidator>();
        builder.Services.AddSingleton<ClientAuthenticator>();
        // The same proof validator every API uses, with this process's proof replay cache.
        builder.Services.AddSingleton<DPoPProofValidator>();
        builder.Services.AddSingleton<ScopeNegotiator>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddSingleton<TokenService>();
        // Where the replicas agree on replays, rate limits and key changes: the store, else this process.
        builder.AddTokenStore();
        builder.AddTokenRateLimiting();
        builder.Services.AddSingleton<IssuanceTelemetry>();
        // The per-token line reaches the dashboard's structured logs through OpenTelemetry; a
        // console copy of every issuance made the console writer a bottleneck of /token (bench/run).
        builder.Logging.AddFilter<ConsoleLoggerProvider>(typeof(IssuanceTelemetry).FullName, LogLevel.Warning);

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AuthJsonContext.Default));
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(IssuerInstrumentation.SourceName));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(IssuerInstrumentation.MeterName));
        return builder;
    }

    [UnsupportedOSPlatform("windows")]
    private static void AddKeyStoreReading(IServiceCollection services)
    {
        services.AddSingleton<KeyStoreLoader>();
        services.AddHostedService(provider => provider.GetRequiredService<KeyStoreLoader>());
        services.AddHostedService<KeyStoreWatcher>();
        services.AddHostedService<KeyChangeAnnouncer>();
    }
}
