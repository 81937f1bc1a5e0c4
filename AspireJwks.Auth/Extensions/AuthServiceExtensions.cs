using AspireJwks.Auth.Keys;
using AspireJwks.Auth.Options;
using AspireJwks.Auth.RateLimiting;
using AspireJwks.Auth.Registry;
using AspireJwks.Auth.Telemetry;
using AspireJwks.Auth.Tokens;
using AspireJwks.ServiceDefaults.DPoP;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace AspireJwks.Auth.Extensions;

public static class AuthServiceExtensions
{
    /// <summary>Registers the issuer's parts: validated options and registries, the key ring, its loader and watcher, the token service.</summary>
    public static IHostApplicationBuilder AddAuthServices(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(AuthOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, RegistryRules>();
        builder.Services.AddSingleton<IssuerRegistry>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.AddValidatedOptions<KeyStoreOptions, KeyStoreOptionsValidator>(KeyStoreOptions.SectionName);
        builder.Services.AddSingleton<KeyStoreLoader>();
        builder.Services.AddHostedService(services => services.GetRequiredService<KeyStoreLoader>());
        builder.Services.AddHostedService<KeyStoreWatcher>();
        builder.Services.AddSingleton<ClientAssertionValidator>();
        builder.Services.AddSingleton<ClientAuthenticator>();
        // The same proof validator every API uses, with this process's proof replay cache.
        builder.Services.AddSingleton<DPoPProofValidator>();
        builder.Services.AddSingleton<ScopeNegotiator>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddSingleton<TokenService>();
        builder.AddTokenRateLimiting();
        builder.Services.AddSingleton<IssuanceTelemetry>();
        // The per-token line reaches the dashboard's structured logs through OpenTelemetry; a
        // console copy of every issuance made the console writer a bottleneck of /token (bench/run).
        builder.Logging.AddFilter<ConsoleLoggerProvider>(typeof(IssuanceTelemetry).FullName, LogLevel.Warning);

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AuthJsonContext.Default));
        return builder;
    }
}
