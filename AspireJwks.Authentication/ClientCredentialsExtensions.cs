using AspireJwks.Authentication.ClientCredentials;
using AspireJwks.Authentication.DPoP;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Access tokens for the calls of a client that the AppHost joined with <c>WithClientCredentials</c>.</summary>
public static class ClientCredentialsExtensions
{
    /// <summary>
    /// Gives every request of this HttpClient an access token for <paramref name="scopes"/>, got
    /// from the issuer with the client credentials grant through service discovery, using the
    /// <c>ClientCredentials</c> settings the AppHost gives (a missing one stops the service at
    /// start, naming it). Tokens are cached per scope set, renewed before they expire, fetched
    /// once for many concurrent calls, and replaced once when the API answers 401 invalid_token.
    /// </summary>
    public static IHttpClientBuilder AddClientCredentialsToken(this IHttpClientBuilder builder, params string[] scopes) =>
        builder.AddClientCredentialsToken(scopes, dpop: false);

    /// <summary>
    /// As <see cref="AddClientCredentialsToken(IHttpClientBuilder, string[])"/> for one scope; with
    /// <paramref name="dpop"/>, the token is bound to this process's DPoP key (RFC 9449) and every
    /// request carries a proof of that key, so a copied token is useless to anyone else.
    /// </summary>
    public static IHttpClientBuilder AddClientCredentialsToken(this IHttpClientBuilder builder, string scope, bool dpop) =>
        builder.AddClientCredentialsToken([scope], dpop);

    /// <summary>As <see cref="AddClientCredentialsToken(IHttpClientBuilder, string, bool)"/> for several scopes.</summary>
    public static IHttpClientBuilder AddClientCredentialsToken(this IHttpClientBuilder builder, IReadOnlyCollection<string> scopes, bool dpop)
    {
        if (scopes.Count == 0 || scopes.Any(scope => scope.Length == 0 || scope.Contains(' ', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Name at least one scope, each without spaces.", nameof(scopes));
        }
        AddTokenServices(builder.Services);
        // One scope set, one cache entry: the same scopes in any order or repeated are the same token.
        var scope = string.Join(' ', scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        builder.AddHttpMessageHandler(services => new ClientCredentialsHandler(services.GetRequiredService<AccessTokenCache>(), scope, dpop));
        // After the token handler, and so after service discovery too: the proof names the request as sent.
        return dpop ? builder.AddHttpMessageHandler(services => new DPoPProofHandler(services.GetRequiredService<DPoPProofSigner>())) : builder;
    }

    private static void AddTokenServices(IServiceCollection services)
    {
        if (services.Any(service => service.ServiceType == typeof(AccessTokenCache)))
        {
            return;
        }
        services.AddSingleton<IValidateOptions<ClientCredentialsOptions>, ClientCredentialsOptionsValidator>();
        services.AddSingleton<IValidateOptions<ClientCredentialsOptions>, ClientCredentialsOptionsRules>();
        services.AddOptions<ClientCredentialsOptions>().BindConfiguration(ClientCredentialsOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(TokenEndpointClient.HttpClientName, ConfigureTokenEndpoint);
        services.AddHttpClient(TokenEndpointClient.DPoPHttpClientName, ConfigureTokenEndpoint)
            .AddHttpMessageHandler(provider => new DPoPProofHandler(provider.GetRequiredService<DPoPProofSigner>()));
        services.TryAddSingleton<DPoPProofSigner>();
        services.AddSingleton<ClientAssertionSigner>();
        services.AddSingleton<TokenEndpointClient>();
        services.AddSingleton<AccessTokenCache>();
    }

    private static void ConfigureTokenEndpoint(IServiceProvider provider, HttpClient http) =>
        http.BaseAddress = new Uri(provider.GetRequiredService<IOptions<ClientCredentialsOptions>>().Value.Authority);
}
