using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.KeyStore;

/// <summary>
/// A public JWK as published (RFC 7517). Its members are listed one by one so that no private
/// member (<c>d</c>, <c>p</c>, <c>q</c>, ...) can ever be serialized, whatever the key object held.
/// </summary>
public sealed record PublicJwk(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("n")] string N,
    [property: JsonPropertyName("e")] string E)
{
    /// <summary>
    /// Builds the JWK of an RSA public key, its kid being the RFC 7638 thumbprint (base64url
    /// SHA-256 of the canonical members), computed by Microsoft.IdentityModel.
    /// </summary>
    public static PublicJwk FromRsa(RSA rsa, string alg)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonWebKey
        {
            Kty = JsonWebAlgorithmsKeyTypes.RSA,
            N = Base64UrlEncoder.Encode(parameters.Modulus),
            E = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        var kid = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
        return new PublicJwk(jwk.Kty, "sig", alg, kid, jwk.N, jwk.E);
    }
}

/// <summary>A JWK Set document (RFC 7517 section 5).</summary>
public sealed record JsonWebKeySetDocument([property: JsonPropertyName("keys")] IReadOnlyList<PublicJwk> Keys)
{
    public byte[] ToUtf8Json() => KeyStoreJsonContext.Serialize(this, KeyStoreJsonContext.Default.JsonWebKeySetDocument);
}
