using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Tests.Support;

/// <summary>JWK Sets as an issuer, honest or not, might publish them.</summary>
public static class JwksDocuments
{
    /// <summary>A JWKS of fresh RSA-2048 RS256 signing keys under the given kids.</summary>
    public static string Rsa(params string[] kids) =>
        Set([.. kids.Select(kid => RsaKey(kid, RSA.Create(2048)))]);

    public static string Set(params JsonObject[] keys) => new JsonObject { ["keys"] = new JsonArray([.. keys]) }.ToJsonString();

    /// <summary>The public JWK of <paramref name="rsa"/>, as Auth publishes it.</summary>
    public static JsonObject RsaKey(string kid, RSA rsa, string alg = "RS256")
    {
        var parameters = rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = alg,
            ["kid"] = kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    /// <summary>The public JWK of <paramref name="ecdsa"/> on P-256.</summary>
    public static JsonObject EcKey(string kid, ECDsa ecdsa, string alg = "ES256")
    {
        var parameters = ecdsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "EC",
            ["use"] = "sig",
            ["alg"] = alg,
            ["kid"] = kid,
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
            ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
        };
    }
}
