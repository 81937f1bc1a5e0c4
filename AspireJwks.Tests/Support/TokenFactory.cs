using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireJwks.KeyStore;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Tests.Support;

/// <summary>
/// Crafts tokens the way an attacker or a broken client would. Written by hand on purpose:
/// token libraries refuse to produce most of these (string dates, foreign algorithms, stripped
/// signatures), which is exactly what the API must be shown to reject.
/// </summary>
public sealed class TokenFactory(RSA signingKey, string kid, string issuer, string audience, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>A factory signing with the store's active (RSA) key, as Auth would.</summary>
    public static TokenFactory FromKeyStore(string keysDirectory, string issuer, string audience)
    {
        var store = KeyStoreReader.Load(new KeyStoreLayout(keysDirectory), TimeProvider.System.GetUtcNow());
        var key = store.Active(TimeProvider.System.GetUtcNow());
        return new TokenFactory((RSA)key.PrivateKey, key.Kid, issuer, audience);
    }

    public string Kid => kid;

    /// <summary>The header Auth writes: RS256, the store's kid, <c>typ: at+jwt</c>.</summary>
    public JsonObject Header() => new() { ["alg"] = "RS256", ["kid"] = kid, ["typ"] = "at+jwt" };

    /// <summary>The claims of a valid access token, ready to be altered.</summary>
    public JsonObject Claims(string scope = "api.read", TimeSpan? lifetime = null)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = issuer,
            ["sub"] = "e2e-client",
            ["aud"] = audience,
            ["client_id"] = "e2e-client",
            ["scope"] = scope,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)(lifetime ?? TimeSpan.FromMinutes(5)).TotalSeconds,
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
    }

    /// <summary>A correctly signed token with the given header and claims (defaults: a valid token).</summary>
    public string Create(JsonObject? header = null, JsonObject? claims = null) =>
        Sign(Encode(header ?? Header()), Encode(claims ?? Claims()), signingKey);

    /// <summary>Signs arbitrary, already encoded segments with the given RSA key (RS256).</summary>
    public static string Sign(string encodedHeader, string encodedPayload, RSA key)
    {
        var signingInput = $"{encodedHeader}.{encodedPayload}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    public static string Encode(JsonNode node) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(node.ToJsonString()));

    public static string Encode(string raw) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(raw));

    /// <summary>Replaces one claim of an existing token without re-signing it (a tampered payload).</summary>
    public static string TamperClaim(string token, string claim, JsonNode? value)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload[claim] = value;
        return $"{parts[0]}.{Encode(payload)}.{parts[2]}";
    }

    public static JsonObject DecodeSegment(string token, int index) =>
        JsonNode.Parse(Base64UrlEncoder.Decode(token.Split('.')[index]), documentOptions: new JsonDocumentOptions())!.AsObject();
}
