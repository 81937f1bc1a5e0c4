using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.KeyStore;

/// <summary>
/// A public JWK as published (RFC 7517, RFC 7518 6.2 and 6.3). Its members are listed one by one
/// so that no private member (<c>d</c>, <c>p</c>, <c>q</c>, ...) can ever be serialized, whatever
/// the key object held. RSA keys carry <c>n</c>/<c>e</c>, EC keys <c>crv</c>/<c>x</c>/<c>y</c>.
/// </summary>
internal sealed record PublicJwk(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("n"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? N = null,
    [property: JsonPropertyName("e"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? E = null,
    [property: JsonPropertyName("crv"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Crv = null,
    [property: JsonPropertyName("x"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? X = null,
    [property: JsonPropertyName("y"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Y = null)
{
    /// <summary>
    /// Builds the JWK of a public key, its kid being the RFC 7638 thumbprint (base64url SHA-256 of
    /// the canonical members), computed by Microsoft.IdentityModel.
    /// </summary>
    public static PublicJwk FromKey(AsymmetricAlgorithm key, string alg)
    {
        var jwk = key switch
        {
            RSA rsa => FromRsaParameters(rsa.ExportParameters(includePrivateParameters: false)),
            ECDsa ecdsa => FromEcParameters(ecdsa.ExportParameters(includePrivateParameters: false)),
            _ => throw new ArgumentException($"Unsupported key type {key.GetType().Name}.", nameof(key)),
        };
        var kid = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
        return new PublicJwk(jwk.Kty, "sig", alg, kid, N: jwk.N, E: jwk.E, Crv: jwk.Crv, X: jwk.X, Y: jwk.Y);
    }

    private static JsonWebKey FromRsaParameters(RSAParameters parameters) => new()
    {
        Kty = JsonWebAlgorithmsKeyTypes.RSA,
        N = Base64UrlEncoder.Encode(parameters.Modulus),
        E = Base64UrlEncoder.Encode(parameters.Exponent),
    };

    private static JsonWebKey FromEcParameters(ECParameters parameters) => new()
    {
        Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve,
        Crv = parameters.Curve.Oid.Value == SigningAlgorithms.P256Oid
            ? JsonWebKeyECTypes.P256
            : throw new ArgumentException("Only P-256 keys are supported.", nameof(parameters)),
        X = Base64UrlEncoder.Encode(parameters.Q.X),
        Y = Base64UrlEncoder.Encode(parameters.Q.Y),
    };
}

/// <summary>A JWK Set document (RFC 7517 section 5).</summary>
internal sealed record JsonWebKeySetDocument([property: JsonPropertyName("keys")] IReadOnlyList<PublicJwk> Keys)
{
    public byte[] ToUtf8Json() => KeyStoreJsonContext.Serialize(this, KeyStoreJsonContext.Default.JsonWebKeySetDocument);
}
