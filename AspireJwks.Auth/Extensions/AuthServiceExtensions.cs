using AspireJwks.Auth.Keys;
using AspireJwks.Auth.Options;
using AspireJwks.Auth.RateLimiting;
using AspireJwks.Auth.Telemetry;
using AspireJwks.Auth.Tokens;
using Microsoft.Extensions.Options;

namespace AspireJwks.Auth.Extensions;

public static class AuthServiceExtensions
{
    /// <summary>Registers the issuer's parts: validated options, the key ring, its loader and watcher, client authentication.</summary>
    public static IHostApplicationBuilder AddAuthServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddOptions<KeyStoreOptions>()
            .Bind(builder.Configuration.GetSection(KeyStoreOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<KeyStoreOptions>, KeyStoreOptionsValidator>();
        builder.Services.AddSingleton<KeyStoreLoader>();
        builder.Services.AddHostedService(services => services.GetRequiredService<KeyStoreLoader>());
        builder.Services.AddHostedService<KeyStoreWatcher>();
        builder.Services.AddSingleton<ClientAuthenticator>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.AddTokenRateLimiting();
        builder.Services.AddSingleton<IssuanceTelemetry>();

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AuthJsonContext.Default));
        return builder;
    }
}
