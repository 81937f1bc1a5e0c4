using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Protocol.Jwks;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Unit.TokenValidation;

/// <summary>What the API trusts from a JWKS: a compromised or buggy issuer must not be able to weaken it.</summary>
public sealed class JwksDocumentReaderTests
{
    private static readonly RSA Rsa2048 = RSA.Create(2048);

    private static readonly string UsableKey = JwksDocuments.RsaKey("good", Rsa2048).ToJsonString();

    /// <summary>Each document, and the reason it must be refused for (not merely refused: a document may fail for another).</summary>
    public static TheoryData<string, string> RefusedDocuments => new()
    {
        { "{\"keys\": [", "it is not strict JSON" },
        { "[]", "it is not a JWK Set" },
        { "{\"keys\": {}}", "it is not a JWK Set" },
        { $"{{\"keys\": [{UsableKey}], \"keys\": [{UsableKey}]}}", "it is not strict JSON" },
        { "{\"keys\": []}", "it has no usable signing key (it is empty)" },
        { JwksDocuments.Set(JwksDocuments.RsaKey("twice", Rsa2048), JwksDocuments.RsaKey("twice", RSA.Create(2048))), "the kid twice appears twice" },
        { JwksDocuments.Set([.. Enumerable.Range(0, JwksDocumentReader.MaxKeys + 1).Select(i => JwksDocuments.RsaKey($"k{i}", Rsa2048))]), $"more than {JwksDocumentReader.MaxKeys}" },
        { JwksDocuments.Set(JwksDocuments.RsaKey("weak", RSA.Create(1024))), "it has no usable signing key (" },
        { $"{{\"keys\": [{UsableKey}], \"padding\": \"{new string('x', JwksDocumentReader.MaxDocumentBytes)}\"}}", $"it is larger than {JwksDocumentReader.MaxDocumentBytes} bytes" },
    };

    [Fact]
    public void The_usable_key_of_the_refused_documents_is_trusted_on_its_own()
    {
        Assert.NotNull(JwksDocumentReader.Read(Encoding.UTF8.GetBytes($"{{\"keys\": [{UsableKey}]}}"), JwksKeySet.Empty).Keys);
    }

    [Theory]
    [MemberData(nameof(RefusedDocuments))]
    public void A_document_that_cannot_be_trusted_is_refused_whole(string document, string reason)
    {
        var result = JwksDocumentReader.Read(Encoding.UTF8.GetBytes(document), JwksKeySet.Empty);

        Assert.Null(result.Keys);
        Assert.Contains(reason, result.Refusal, StringComparison.Ordinal);
    }

    /// <summary>Each key, and the reason it must be left out for.</summary>
    public static TheoryData<string, string, Func<JsonObject>> UnusableKeys => new()
    {
        { "RSA under 2048 bits", "is a 1024-bit RSA key", () => JwksDocuments.RsaKey("bad", RSA.Create(1024)) },
        { "RSA over 8192 bits", "is a 8200-bit RSA key", () => WithMember(JwksDocuments.RsaKey("bad", Rsa2048), "n", Base64(RandomModulus(8200))) },
        { "RSA exponent 1", "has an RSA exponent that is even or below 3", () => WithMember(JwksDocuments.RsaKey("bad", Rsa2048), "e", "AQ") },
        { "RSA even exponent", "has an RSA exponent that is even or below 3", () => WithMember(JwksDocuments.RsaKey("bad", Rsa2048), "e", "AQAC") },
        { "RSA key for ES256", "has a key type (RSA) that cannot sign ES256", () => JwksDocuments.RsaKey("bad", Rsa2048, alg: "ES256") },
        { "EC key for RS256", "has a key type (EC) that cannot sign RS256", () => JwksDocuments.EcKey("bad", ECDsa.Create(ECCurve.NamedCurves.nistP256), alg: "RS256") },
        { "EC key on P-384", "is not on the P-256 curve", () => WithMember(JwksDocuments.EcKey("bad", ECDsa.Create(ECCurve.NamedCurves.nistP384)), "crv", "P-384") },
        { "EC point not on the curve", "is not a point on P-256", () => WithMember(JwksDocuments.EcKey("bad", ECDsa.Create(ECCurve.NamedCurves.nistP256)), "y", Base64(new byte[32])) },
        { "symmetric key", "holds private or symmetric key material", () => new JsonObject { ["kty"] = "oct", ["kid"] = "bad", ["alg"] = "HS256", ["k"] = "c2VjcmV0" } },
        { "symmetric key claiming RS256", "holds private or symmetric key material", () => new JsonObject { ["kty"] = "oct", ["kid"] = "bad", ["alg"] = "RS256", ["k"] = "c2VjcmV0" } },
        { "private RSA key", "holds private or symmetric key material", () => WithMember(JwksDocuments.RsaKey("bad", Rsa2048), "d", "AQAB") },
        { "encryption key", "is not for signatures", () => WithMember(JwksDocuments.RsaKey("bad", Rsa2048), "use", "enc") },
        { "key_ops without verify", "is not for verifying", () => WithMember(JwksDocuments.RsaKey("bad", Rsa2048), "key_ops", new JsonArray("encrypt")) },
        { "no alg", "has no allowed alg", () => Without(JwksDocuments.RsaKey("bad", Rsa2048), "alg") },
        { "alg none", "has no allowed alg", () => WithMember(JwksDocuments.RsaKey("bad", Rsa2048), "alg", "none") },
        { "HMAC alg on an RSA key", "has no allowed alg", () => WithMember(JwksDocuments.RsaKey("bad", Rsa2048), "alg", "HS256") },
        { "kid with path text", "has no base64url kid", () => WithMember(JwksDocuments.RsaKey("bad", Rsa2048), "kid", "../../etc/passwd") },
        { "padded modulus", "has no minimal base64url n and e", () => WithMember(JwksDocuments.RsaKey("bad", Rsa2048), "n", Base64(Rsa2048.ExportParameters(false).Modulus!) + "==") },
    };

    [Theory]
    [MemberData(nameof(UnusableKeys))]
    public void A_key_that_does_not_fit_its_algorithm_is_left_out_and_the_others_are_kept(string problem, string reason, Func<JsonObject> unusable)
    {
        var document = JwksDocuments.Set(JwksDocuments.RsaKey("good", Rsa2048), unusable());

        var result = JwksDocumentReader.Read(Encoding.UTF8.GetBytes(document), JwksKeySet.Empty);

        Assert.NotNull(result.Keys);
        Assert.Equal(["good"], result.Keys.Kids);
        var skipped = Assert.Single(result.SkippedKeys);
        Assert.True(skipped.Contains(reason, StringComparison.Ordinal), $"{problem}: expected '{reason}', got '{skipped}'");
    }

    [Fact]
    public void Rsa_and_ec_keys_of_every_allowed_algorithm_are_trusted()
    {
        var document = JwksDocuments.Set(
            JwksDocuments.RsaKey("rs", Rsa2048),
            JwksDocuments.RsaKey("ps", RSA.Create(3072), alg: "PS256"),
            JwksDocuments.RsaKey("big", RSA.Create(4096)),
            JwksDocuments.EcKey("es", ECDsa.Create(ECCurve.NamedCurves.nistP256)));

        var result = JwksDocumentReader.Read(Encoding.UTF8.GetBytes(document), JwksKeySet.Empty);

        Assert.Equal(["big", "es", "ps", "rs"], result.Keys!.Kids.Order());
        Assert.Empty(result.SkippedKeys);
    }

    private static JsonObject WithMember(JsonObject key, string name, JsonNode value)
    {
        key[name] = value;
        return key;
    }

    private static JsonObject Without(JsonObject key, string name)
    {
        key.Remove(name);
        return key;
    }

    private static string Base64(byte[] bytes) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(bytes);

    private static byte[] RandomModulus(int bits)
    {
        var modulus = RandomNumberGenerator.GetBytes((bits + 7) / 8);
        modulus[0] |= 0x80;
        return modulus;
    }
}
