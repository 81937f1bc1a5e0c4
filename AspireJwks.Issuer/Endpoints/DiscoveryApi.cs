using System.Text.Json.Serialization;
using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Options;
using AspireJwks.Issuer.Registry;
using AspireJwks.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.Endpoints;

/// <summary>
/// Server metadata at both well-known addresses: OpenID Connect Discovery and RFC 8414, which
/// validators and tools look for in that order.
/// </summary>
internal static class DiscoveryApi
{
    // Client assertions and DPoP proofs are signed with the asymmetric algorithms tokens use.
    private static readonly string[] AssertionAlgorithms = [.. AccessTokenProtocol.SigningAlgorithms.Order(StringComparer.Ordinal)];

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
        // The issuer exactly as tokens carry it in iss (RFC 8414 section 3.3): a validator that
        // takes it from here compares it with iss character for character. Only the endpoints'
        // addresses are built from it without its trailing slash.
        var issuer = options.Value.Issuer;
        var baseAddress = issuer.TrimEnd('/');
        return TypedResults.Ok(new AuthorizationServerMetadata(
            Issuer: issuer,
            JwksUri: baseAddress + JwksApi.Path,
            TokenEndpoint: baseAddress + "/token",
            GrantTypesSupported: [OAuthGrantTypes.ClientCredentials],
            TokenEndpointAuthMethodsSupported:
                [ClientAuthenticationMethods.SecretBasic, ClientAuthenticationMethods.SecretPost, ClientAuthenticationMethods.PrivateKeyJwt],
            TokenEndpointAuthSigningAlgValuesSupported: AssertionAlgorithms,
            DPoPSigningAlgValuesSupported: AssertionAlgorithms,
            ScopesSupported: registry.ScopesSupported,
            ResponseTypesSupported: [],
            SigningAlgValuesSupported: keyRing.Current.Algorithms));
    }
}

internal sealed record AuthorizationServerMetadata(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    // RFC 8414 section 2: the algorithms a private_key_jwt assertion may be signed with.
    [property: JsonPropertyName("token_endpoint_auth_signing_alg_values_supported")] IReadOnlyList<string> TokenEndpointAuthSigningAlgValuesSupported,
    // RFC 9449 section 5.1: the algorithms a DPoP proof may be signed with.
    [property: JsonPropertyName("dpop_signing_alg_values_supported")] IReadOnlyList<string> DPoPSigningAlgValuesSupported,
    [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
    // Required by both specifications; empty because this server has no authorization endpoint.
    [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
    // The algorithms the published keys sign access tokens with. Neither specification has a
    // member for access tokens' algorithms; this is the one tools that read signing algorithms
    // from metadata look for. This server issues no ID tokens, so OpenID Connect's rule that the
    // list holds RS256 does not apply: under ES256 it says ES256 only, which is the truth.
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> SigningAlgValuesSupported);
