using AspireJwks.Auth.Keys;
using AspireJwks.Auth.Options;
using AspireJwks.Auth.RateLimiting;
using AspireJwks.Auth.Telemetry;
using AspireJwks.Auth.Tokens;
using Microsoft.Extensions.Options;

namespace AspireJwks.Auth.Extensions;

public static class AuthServiceExtensions
{
    /// <summary>Registers the issuer's parts: validated options, the key ring and its loader, client authentication.</summary>
    public static IHostApplicationBuilder AddAuthServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddHostedService<KeyStoreLoader>();
        builder.Services.AddSingleton<ClientAuthenticator>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.AddTokenRateLimiting();
        builder.Services.AddSingleton<IssuanceTelemetry>();

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AuthJsonContext.Default));
        return builder;
    }
}
