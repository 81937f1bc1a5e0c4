using System.Text;
using System.Text.Json.Nodes;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// Every token the API must refuse with 401 <c>invalid_token</c>, by name. Each entry returns the
/// whole <c>Authorization</c> header value, so a test row reads as the attack it sends.
/// </summary>
public static class ForgedTokenCatalogue
{
    private static readonly string[] HmacAlgorithms = ["HS256", "HS384", "HS512"];

    public static IReadOnlyDictionary<string, Func<ForgedTokens, string>> Cases { get; } = Build();

    public static TheoryData<string> Names => [.. Cases.Keys];

    private static Dictionary<string, Func<ForgedTokens, string>> Build()
    {
        var cases = new Dictionary<string, Func<ForgedTokens, string>>(StringComparer.Ordinal);
        void Bearer(string name, Func<ForgedTokens, string> token) => cases.Add(name, forge => "Bearer " + token(forge));
        static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // alg "none" and stripped signatures (RFC 8725 2.1, 3.1).
        foreach (var none in new[] { "none", "None", "NONE", "nOnE" })
        {
            Bearer($"alg {none} without signature", forge => forge.UnsignedWithAlg(none, ""));
            Bearer($"alg {none} with a signature", forge => forge.UnsignedWithAlg(none, forge.Valid().Split('.')[2]));
        }
        Bearer("signature removed, final dot kept", forge => forge.SignatureStripped(keepDot: true));
        Bearer("signature removed with its dot", forge => forge.SignatureStripped(keepDot: false));

        // Key confusion: HMAC keyed with public material (RFC 8725 2.1, 3.1).
        var publicForms = new Dictionary<string, Func<ForgedTokens, byte[]>>
        {
            ["public key PEM"] = forge => forge.PublicKeyPem(finalNewline: false),
            ["public key PEM with final newline"] = forge => forge.PublicKeyPem(finalNewline: true),
            ["public key DER"] = forge => forge.PublicKeyDer(),
            ["JWKS JSON"] = forge => forge.JwksJson(),
            ["raw modulus"] = forge => forge.Modulus(),
            ["empty secret"] = _ => [],
        };
        foreach (var hmac in HmacAlgorithms)
        {
            foreach (var (form, secret) in publicForms)
            {
                Bearer($"{hmac} keyed with the {form}", forge => forge.HmacKeyedWith(hmac, secret(forge)));
            }
        }

        // One algorithm per key (RFC 8725 3.1).
        foreach (var alg in new[] { "RS384", "RS512", "PS256", "PS512" })
        {
            Bearer($"{alg} signed with the real RS256 key", forge => forge.SignedWithRealKeyAs(alg));
        }
        Bearer("ES256 psychic signature (r = s = 0)", forge => forge.PsychicSignature());

        // Keys the token brings along are never trusted (RFC 8725 3.10 for jku/x5u is covered by the fetch test).
        Bearer("embedded jwk signed with the attacker's key", forge => forge.EmbeddedJwk());
        Bearer("x5c with the attacker's self-signed certificate", forge => forge.EmbeddedX5c());
        Bearer("jku pointing elsewhere", forge => forge.PointingAt("jku", new Uri("http://127.0.0.1:9/jwks.json")));
        Bearer("x5u pointing elsewhere", forge => forge.PointingAt("x5u", new Uri("http://127.0.0.1:9/cert.pem")));
        Bearer("signed by a key not in the JWKS, claiming the real kid", forge => forge.SignedByUnknownKey(claimRealKid: true));
        Bearer("signed by a key not in the JWKS, with its own kid", forge => forge.SignedByUnknownKey(claimRealKid: false));

        // kid values.
        foreach (var (name, kid) in new Dictionary<string, JsonNode?>
        {
            ["path traversal"] = "../../../../etc/passwd",
            ["path traversal to a key file"] = "../keys/x.private.pem",
            ["SQL"] = "' OR '1'='1' --",
            ["shell"] = "$(curl http://127.0.0.1:9/x)`id`",
            ["unknown"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            ["empty"] = "",
            ["number"] = 42,
            ["null"] = null,
        })
        {
            Bearer($"kid {name}", forge => forge.WithHeader(header => header["kid"] = kid?.DeepClone()));
        }
        Bearer("kid missing", forge => forge.WithHeader(header => header.Remove("kid")));

        // Header members the API does not understand (RFC 7515 4.1.11, RFC 7797).
        Bearer("crit naming an unknown extension", forge => forge.WithHeader(header =>
        {
            header["crit"] = new JsonArray("urn:example:unknown");
            header["urn:example:unknown"] = true;
        }));
        Bearer("crit empty", forge => forge.WithHeader(header => header["crit"] = new JsonArray()));
        Bearer("b64 false listed in crit", forge => forge.UnencodedPayload(listInCrit: true));
        Bearer("b64 false without crit", forge => forge.UnencodedPayload(listInCrit: false));
        Bearer("b64 false on an otherwise ordinary token", forge => forge.WithHeader(header => header["b64"] = false));
        Bearer("jwk header on a token signed with the real key", forge => forge.WithHeader(header => header["jwk"] = new JsonObject { ["kty"] = "RSA" }));
        Bearer("cty JWT (a nested token)", forge => forge.WithHeader(header => header["cty"] = "JWT"));
        Bearer("zip DEF (compressed payload)", forge => forge.WithHeader(header => header["zip"] = "DEF"));
        Bearer("typ JWT", forge => forge.WithHeader(header => header["typ"] = "JWT"));
        Bearer("typ missing", forge => forge.WithHeader(header => header.Remove("typ")));

        // Signatures.
        Bearer("signature truncated", forge => forge.WithSignature(signature => signature[..^4]));
        Bearer("signature with one byte dropped", forge => forge.WithSignatureBytes(bytes => bytes[..^1]));
        Bearer("signature with a bit flipped", forge => forge.WithSignatureBytes(bytes =>
        {
            bytes[bytes.Length / 2] ^= 0x01;
            return bytes;
        }));
        Bearer("signature padded with =", forge => forge.WithSignature(signature => signature + "="));
        Bearer("signature padded with ==", forge => forge.WithSignature(signature => signature + "=="));
        Bearer("signature with a zero byte appended", forge => forge.WithSignatureBytes(bytes => [.. bytes, 0]));
        Bearer("signature of another token", forge => forge.WithSignature(_ => forge.Valid().Split('.')[2]));

        // Non-canonical base64url (RFC 8725 3.11 asks for one spelling per token).
        Bearer("signature in the standard base64 alphabet (+ and /)", forge => forge.InStandardBase64Alphabet());
        Bearer("payload in the standard base64 alphabet, signed as spelled", forge => forge.PayloadInStandardBase64Alphabet());
        Bearer("header padded with =", forge => forge.WithSegment(0, segment => PadToFour(segment)));
        Bearer("payload padded with =", forge => forge.WithSegment(1, segment => PadToFour(segment)));
        Bearer("space inside the payload", forge => forge.WithSegment(1, segment => segment.Insert(10, " ")));
        Bearer("tab inside the payload", forge => forge.WithSegment(1, segment => segment.Insert(10, "\t")));
        Bearer("spare bits set in the header's last character", forge => forge.WithSegment(0, SpareBits));
        Bearer("spare bits set in the payload's last character", forge => forge.WithSegment(1, SpareBits));
        Bearer("spare bits set in the signature's last character", forge => forge.WithSegment(2, SpareBits));

        // Wrong serializations.
        foreach (var count in new[] { 1, 2, 4, 5, 6 })
        {
            Bearer($"{count} segments", forge => forge.WithSegmentCount(count));
        }
        Bearer("JWS JSON serialization", forge => forge.AsJwsJson());
        Bearer("a JWE", forge => forge.Jwe());

        // Broken JSON, signed properly so only the JSON is at fault.
        Bearer("header that is not JSON", forge => forge.SignedRaw($"{{\"alg\":\"RS256\",\"kid\":\"{forge.Kid}\"", ValidPayload(forge)));
        Bearer("payload that is not JSON", forge => forge.SignedRaw(ValidHeader(forge), "{\"iss\":"));
        Bearer("payload that is a JSON array", forge => forge.SignedRaw(ValidHeader(forge), $"[{ValidPayload(forge)}]"));
        Bearer("payload with invalid UTF-8", forge => forge.SignedRawBytes(ValidHeader(forge), InvalidUtf8Payload(forge)));
        Bearer("payload with a byte order mark", forge => forge.SignedRawBytes(ValidHeader(forge), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(ValidPayload(forge))]));
        Bearer("duplicate alg in the header (none last)", forge => forge.SignedRaw(
            $"{{\"alg\":\"RS256\",\"kid\":\"{forge.Kid}\",\"typ\":\"at+jwt\",\"alg\":\"none\"}}", ValidPayload(forge)));
        Bearer("duplicate exp in the payload", forge => forge.SignedRaw(
            ValidHeader(forge), ValidPayload(forge).TrimEnd('}') + $",\"exp\":{Now() + 86400 * 365}}}"));
        Bearer("duplicate aud in the payload", forge => forge.SignedRaw(
            ValidHeader(forge), ValidPayload(forge).TrimEnd('}') + ",\"aud\":\"someone-else\"}"));
        Bearer("deeply nested claim", forge => forge.SignedRaw(
            ValidHeader(forge), ValidPayload(forge).TrimEnd('}') + ",\"x\":" + new string('[', 200) + new string(']', 200) + "}"));

        // Claims (RFC 8725 3.8, 3.9; RFC 9068 2.2).
        Bearer("exp missing", forge => forge.WithClaims(claims => claims.Remove("exp")));
        Bearer("iat missing", forge => forge.WithClaims(claims => claims.Remove("iat")));
        foreach (var date in new[] { "exp", "nbf", "iat" })
        {
            Bearer($"{date} as a numeric string", forge => forge.WithClaims(claims => claims[date] = claims[date]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Bearer($"{date} as a float", forge => forge.WithClaims(claims => claims[date] = claims[date]!.GetValue<long>() + 0.5));
            Bearer($"{date} negative", forge => forge.WithClaims(claims => claims[date] = -1));
            Bearer($"{date} beyond year 9999", forge => forge.WithClaims(claims => claims[date] = 999_999_999_999L));
            Bearer($"{date} as a boolean", forge => forge.WithClaims(claims => claims[date] = true));
        }
        Bearer("exp in exponent notation", forge => forge.SignedRaw(
            ValidHeader(forge), ValidPayload(forge).TrimEnd('}') + ",\"exp\":1e11}"));
        Bearer("expired beyond the clock skew", forge => forge.WithClaims(claims =>
        {
            claims["iat"] = Now() - 600;
            claims["nbf"] = Now() - 600;
            claims["exp"] = Now() - 120;
        }));
        Bearer("nbf in the future", forge => forge.WithClaims(claims => claims["nbf"] = Now() + 120));
        Bearer("iat in the future", forge => forge.WithClaims(claims => claims["iat"] = Now() + 120));
        Bearer("iss of another issuer", forge => forge.WithClaims(claims => claims["iss"] = "http://evil.example"));
        Bearer("iss with a trailing slash", forge => forge.WithClaims(claims => claims["iss"] = claims["iss"]!.GetValue<string>() + "/"));
        Bearer("iss missing", forge => forge.WithClaims(claims => claims.Remove("iss")));
        Bearer("aud of another API", forge => forge.WithClaims(claims => claims["aud"] = "another-api"));
        Bearer("aud list without this API", forge => forge.WithClaims(claims => claims["aud"] = new JsonArray("a", "b")));
        Bearer("aud empty list", forge => forge.WithClaims(claims => claims["aud"] = new JsonArray()));
        Bearer("aud missing", forge => forge.WithClaims(claims => claims.Remove("aud")));
        Bearer("sub missing", forge => forge.WithClaims(claims => claims.Remove("sub")));
        Bearer("client_id missing", forge => forge.WithClaims(claims => claims.Remove("client_id")));
        Bearer("jti missing", forge => forge.WithClaims(claims => claims.Remove("jti")));
        Bearer("scope as an array", forge => forge.WithClaims(claims => claims["scope"] = new JsonArray("api.read")));
        Bearer("payload tampered after signing", forge => TokenFactory.TamperClaim(forge.Valid(), "scope", "api.read api.write"));

        // Size and transport.
        Bearer("token over the size limit", forge => forge.WithClaims(claims => claims["pad"] = new string('a', 5000)));
        Bearer("token of 20 KB", forge => forge.WithClaims(claims => claims["pad"] = new string('a', 20_000)));
        Bearer("empty token", _ => "");
        cases.Add("Basic credentials", _ => "Basic " + Convert.ToBase64String("e2e-client:secret"u8.ToArray()));
        cases.Add("a valid token without a scheme", forge => forge.Valid());
        cases.Add("a valid token under another scheme", forge => "Token " + forge.Valid());
        cases.Add("a valid token with a scheme glued on", forge => "Bearer" + forge.Valid());
        return cases;
    }

    private static string ValidHeader(ForgedTokens forge) => forge.Tokens.Header().ToJsonString();

    private static string ValidPayload(ForgedTokens forge) => forge.Tokens.Claims().ToJsonString();

    private static byte[] InvalidUtf8Payload(ForgedTokens forge)
    {
        var claims = forge.Tokens.Claims();
        claims["sub"] = "SUBJECT";
        var bytes = Encoding.UTF8.GetBytes(claims.ToJsonString());
        var at = bytes.AsSpan().IndexOf("SUBJECT"u8);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        return bytes;
    }

    private static string PadToFour(string segment) =>
        segment.Length % 4 == 0 ? segment + "====" : segment.PadRight(segment.Length + (4 - segment.Length % 4), '=');

    /// <summary>
    /// The segment with spare bits set. A segment whose length is a multiple of 4 has none (its
    /// length depends on the issuer's address), so its JSON first gets one more space inside the
    /// object, which changes nothing it says, until it has some.
    /// </summary>
    private static string SpareBits(string segment)
    {
        while (segment.Length % 4 == 0)
        {
            segment = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(segment).Insert(1, " "));
        }
        return ForgedTokens.WithSpareBitsSet(segment);
    }
}
