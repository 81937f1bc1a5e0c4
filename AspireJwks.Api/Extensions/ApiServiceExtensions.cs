using AspireJwks.Api.Authentication;
using AspireJwks.Api.Endpoints;
using AspireJwks.Api.Telemetry;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace AspireJwks.Api.Extensions;

public static class ApiServiceExtensions
{
    /// <summary>Registers token validation: options, the JWKS cache and its refresher, JwtBearer and the scope policy.</summary>
    public static IHostApplicationBuilder AddApiServices(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<TokenValidationOptions, TokenValidationOptionsValidator>(TokenValidationOptions.SectionName);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(JwksConfigurationManager.HttpClientName, (services, client) =>
            client.BaseAddress = new Uri(services.GetRequiredService<IOptions<TokenValidationOptions>>().Value.AuthorityAddress));
        builder.Services.AddSingleton<JwksConfigurationManager>();
        builder.Services.AddHostedService<JwksRefresher>();

        builder.Services.AddSingleton<StrictTokenChecks>();
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearer>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddTokenValidationTelemetry();

        var requiredScope = builder.Configuration[$"{TokenValidationOptions.SectionName}:{nameof(TokenValidationOptions.RequiredScope)}"]
            ?? new TokenValidationOptions().RequiredScope;
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ScopePolicy.ReadPolicyName, ScopePolicy.Require(requiredScope));

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        return builder;
    }
}
