using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Tests.Support;

/// <summary>
/// Signs arbitrary JOSE headers and claims, as a client or an attacker would: by hand, because
/// libraries refuse to write most of the JWTs the server must be shown to refuse (alg none, HMAC
/// with a public key, a private key in a proof's header).
/// </summary>
public static class HandMadeJws
{
    public static string Sign(JsonObject header, JsonObject claims, AsymmetricAlgorithm key)
    {
        var input = $"{TokenFactory.Encode(header)}.{TokenFactory.Encode(claims)}";
        var bytes = Encoding.ASCII.GetBytes(input);
        var signature = key switch
        {
            // .NET's ECDsa signs in IEEE P1363 form (R || S), which JWS uses (RFC 7518 section 3.4).
            ECDsa ec => ec.SignData(bytes, HashAlgorithmName.SHA256),
            RSA rsa when header["alg"]?.GetValue<string>() == "PS256" => rsa.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            RSA rsa => rsa.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("An EC or RSA key.", nameof(key)),
        };
        return $"{input}.{Base64UrlEncoder.Encode(signature)}";
    }

    public static string SignHmac(JsonObject header, JsonObject claims, byte[] secret)
    {
        var input = $"{TokenFactory.Encode(header)}.{TokenFactory.Encode(claims)}";
        return $"{input}.{Base64UrlEncoder.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)))}";
    }

    public static string WithoutSignature(JsonObject header, JsonObject claims) => $"{TokenFactory.Encode(header)}.{TokenFactory.Encode(claims)}.";

    /// <summary>The public JWK of an EC P-256 key, as a proof's header carries it; with <paramref name="withPrivate"/>, its private d too.</summary>
    public static JsonObject Jwk(ECDsa key, bool withPrivate = false)
    {
        var parameters = key.ExportParameters(withPrivate);
        var jwk = new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
            ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
        };
        if (withPrivate)
        {
            jwk["d"] = Base64UrlEncoder.Encode(parameters.D);
        }
        return jwk;
    }

    public static JsonObject Jwk(RSA key) => new()
    {
        ["kty"] = "RSA",
        ["n"] = Base64UrlEncoder.Encode(key.ExportParameters(false).Modulus),
        ["e"] = Base64UrlEncoder.Encode(key.ExportParameters(false).Exponent),
    };

    /// <summary>A JWK Set of public keys as an operator registers them, each with its kid and alg.</summary>
    public static string Jwks(params (ECDsa Key, string Kid)[] keys) =>
        new JsonObject
        {
            ["keys"] = new JsonArray([.. keys.Select(key =>
            {
                var jwk = Jwk(key.Key);
                jwk["kid"] = key.Kid;
                jwk["alg"] = "ES256";
                jwk["use"] = "sig";
                return (JsonNode)jwk;
            })]),
        }.ToJsonString();
}

/// <summary>A client's DPoP key and proofs made with it (RFC 9449 section 4.2), each part open to change by a test.</summary>
public sealed class DPoPTestKey : IDisposable
{
    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string Thumbprint => Base64UrlEncoder.Encode(new ECDsaSecurityKey(Key).ComputeJwkThumbprint());

    public JsonObject Header() => new() { ["typ"] = "dpop+jwt", ["alg"] = "ES256", ["jwk"] = HandMadeJws.Jwk(Key) };

    public static JsonObject Claims(string method, string url, string? accessToken = null, DateTimeOffset? issuedAt = null, string? nonce = null)
    {
        var claims = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = url,
            ["iat"] = (issuedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            claims["ath"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }
        return claims;
    }

    public string Proof(string method, string url, string? accessToken = null, DateTimeOffset? issuedAt = null, string? nonce = null) =>
        HandMadeJws.Sign(Header(), Claims(method, url, accessToken, issuedAt, nonce), Key);

    public void Dispose() => Key.Dispose();
}
