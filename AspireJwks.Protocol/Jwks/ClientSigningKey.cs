using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Protocol.Jwks;

/// <summary>
/// A client's own key pair for <c>private_key_jwt</c>: read from PKCS#8 PEM (EC P-256 signs ES256,
/// RSA of 2048 bits or more signs RS256), made on a first run by the AppHost, and described by its
/// public JWK, whose RFC 7638 thumbprint is its kid. The AppHost registers the public JWK with the
/// issuer; the private key stays with the service.
/// </summary>
internal static class ClientSigningKey
{
    /// <summary>A new EC P-256 private key as PKCS#8 PEM: small, and fast to sign with.</summary>
    public static string Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    public static bool TryRead(string pem, [NotNullWhen(true)] out SigningCredentials? credentials, [NotNullWhen(false)] out string? problem)
    {
        credentials = null;
        problem = null;
        try
        {
            if (pem.Contains("BEGIN EC PRIVATE KEY", StringComparison.Ordinal) || !pem.Contains("BEGIN PRIVATE KEY", StringComparison.Ordinal))
            {
                problem = "is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)";
                return false;
            }
            var ec = ECDsa.Create();
            try
            {
                ec.ImportFromPem(pem);
                if (ec.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
                {
                    problem = "is an EC key on another curve than P-256";
                    return false;
                }
                credentials = Credentials(new ECDsaSecurityKey(ec), AccessTokenProtocol.Es256);
                return true;
            }
            catch (CryptographicException)
            {
                ec.Dispose();
            }
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            if (rsa.KeySize < 2048)
            {
                problem = $"is a {rsa.KeySize}-bit RSA key; 2048 bits or more are needed";
                return false;
            }
            credentials = Credentials(new RsaSecurityKey(rsa), AccessTokenProtocol.Rs256);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            problem = "is not an EC P-256 or RSA private key in PKCS#8 PEM";
            return false;
        }
    }

    /// <summary>The public JWK Set the issuer registers for this key: one key, with its kid and alg.</summary>
    public static string PublicJwks(SigningCredentials credentials)
    {
        var jwk = JsonWebKeyConverter.ConvertFromSecurityKey(credentials.Key);
        var key = jwk.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve
            ? new JsonObject { ["kty"] = jwk.Kty, ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y }
            : new JsonObject { ["kty"] = jwk.Kty, ["n"] = jwk.N, ["e"] = jwk.E };
        key["kid"] = credentials.Key.KeyId;
        key["use"] = "sig";
        key["alg"] = credentials.Algorithm;
        return new JsonObject { ["keys"] = new JsonArray(key) }.ToJsonString();
    }

    private static SigningCredentials Credentials(AsymmetricSecurityKey key, string algorithm)
    {
        // The kid is the RFC 7638 thumbprint, as for the issuer's own keys.
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return new SigningCredentials(key, algorithm);
    }
}
