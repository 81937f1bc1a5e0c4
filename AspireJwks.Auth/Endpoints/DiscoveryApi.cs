using System.Text.Json.Serialization;
using AspireJwks.Auth.Keys;
using AspireJwks.Auth.Options;
using AspireJwks.Auth.Registry;
using AspireJwks.Auth.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AspireJwks.Auth.Endpoints;

/// <summary>
/// Server metadata at both well-known addresses: OpenID Connect Discovery and RFC 8414, which
/// validators and tools look for in that order.
/// </summary>
public static class DiscoveryApi
{
    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/.well-known/openid-configuration", methods, GetMetadata);
        app.MapMethods("/.well-known/oauth-authorization-server", methods, GetMetadata);
        return app;
    }

    public static Ok<AuthorizationServerMetadata> GetMetadata(
        SigningKeyRing keyRing, IssuerRegistry registry, IOptions<AuthOptions> options)
    {
        var issuer = options.Value.Issuer.TrimEnd('/');
        return TypedResults.Ok(new AuthorizationServerMetadata(
            Issuer: issuer,
            JwksUri: issuer + JwksApi.Path,
            TokenEndpoint: issuer + "/token",
            GrantTypesSupported: [OAuthGrantTypes.ClientCredentials],
            TokenEndpointAuthMethodsSupported: ["client_secret_basic", "client_secret_post"],
            ScopesSupported: registry.ScopesSupported,
            ResponseTypesSupported: [],
            SigningAlgValuesSupported: keyRing.Current.Algorithms));
    }
}

public sealed record AuthorizationServerMetadata(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
    // Required by both specifications; empty because this server has no authorization endpoint.
    [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
    // The algorithms the published keys sign access tokens with. OpenID Connect has no member for
    // access tokens; this is the one validators read.
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> SigningAlgValuesSupported);
