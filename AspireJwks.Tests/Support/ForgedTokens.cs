using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using AspireJwks.KeyStore;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Tests.Support;

/// <summary>
/// The attacks of the README's security section, one method each, built on the real key store
/// (so that a signature is valid wherever only the checked property is wrong). Each returns the
/// compact token (or raw text) an attacker would send.
/// </summary>
public sealed class ForgedTokens
{
    // An attacker's own key pair: a valid signature by a key the JWKS does not hold.
    private static readonly Lazy<RSA> AttackerKey = new(() => RSA.Create(2048));

    private readonly StoredKey _key;
    private readonly RSA _rsa;
    private readonly LoadedKeyStore _store;
    private readonly DateTimeOffset _loadedAt = TimeProvider.System.GetUtcNow();

    public ForgedTokens(string keysDirectory, string issuer, string audience, TimeProvider? timeProvider = null)
    {
        _store = KeyStoreReader.Load(new KeyStoreLayout(keysDirectory), _loadedAt);
        _key = _store.Active(_loadedAt);
        // The AppHost's default store signs RS256; the forgeries are RSA operations.
        _rsa = (RSA)_key.PrivateKey;
        Tokens = new TokenFactory(_rsa, _key.Kid, issuer, audience, timeProvider);
    }

    public TokenFactory Tokens { get; }

    public string Kid => _key.Kid;

    /// <summary>A well-formed kid no JWKS holds.</summary>
    public static string RandomKid() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static string AttackerKid =>
        PublicJwk.FromKey(AttackerKey.Value, "RS256").Kid;

    /// <summary>A token the API must accept: the control that shows the other rows fail for their own reason.</summary>
    public string Valid() => Tokens.Create();

    public string WithHeader(Action<JsonObject> change)
    {
        var header = Tokens.Header();
        change(header);
        return Tokens.Create(header);
    }

    public string WithClaims(Action<JsonObject> change)
    {
        var claims = Tokens.Claims();
        change(claims);
        return Tokens.Create(claims: claims);
    }

    /// <summary>Header and payload as given, byte for byte, signed RS256 with the real key.</summary>
    public string SignedRaw(string rawHeader, string rawPayload) =>
        TokenFactory.Sign(TokenFactory.Encode(rawHeader), TokenFactory.Encode(rawPayload), _rsa);

    public string SignedRawBytes(string rawHeader, byte[] rawPayload) =>
        TokenFactory.Sign(TokenFactory.Encode(rawHeader), Base64UrlEncoder.Encode(rawPayload), _rsa);

    /// <summary><c>alg</c> replaced (e.g. "none", "NoNe"); the signature segment as given.</summary>
    public string UnsignedWithAlg(string alg, string signature)
    {
        var header = Tokens.Header();
        header["alg"] = alg;
        return $"{TokenFactory.Encode(header)}.{TokenFactory.Encode(Tokens.Claims())}.{signature}";
    }

    /// <summary>A valid token whose signature segment is removed (the final dot kept or not).</summary>
    public string SignatureStripped(bool keepDot)
    {
        var token = Valid();
        var withoutSignature = token[..(token.LastIndexOf('.') + 1)];
        return keepDot ? withoutSignature : withoutSignature.TrimEnd('.');
    }

    /// <summary>Signed with the real RSA key, but by another algorithm than the key is published for.</summary>
    public string SignedWithRealKeyAs(string alg)
    {
        var (hash, padding) = alg switch
        {
            "RS256" => (HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "RS384" => (HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "RS512" => (HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            "PS256" => (HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "PS512" => (HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
            _ => throw new ArgumentOutOfRangeException(nameof(alg), alg, null),
        };
        return Signed(alg, Kid, input => _rsa.SignData(input, hash, padding));
    }

    /// <summary>The classic key confusion: an HMAC keyed with what the verifier treats as public.</summary>
    public string HmacKeyedWith(string alg, byte[] secret) =>
        Signed(alg, Kid, input => alg switch
        {
            "HS256" => HMACSHA256.HashData(secret, input),
            "HS384" => HMACSHA384.HashData(secret, input),
            "HS512" => HMACSHA512.HashData(secret, input),
            _ => throw new ArgumentOutOfRangeException(nameof(alg), alg, null),
        });

    public byte[] PublicKeyPem(bool finalNewline)
    {
        var pem = _rsa.ExportSubjectPublicKeyInfoPem();
        return Encoding.ASCII.GetBytes(finalNewline ? pem + "\n" : pem);
    }

    public byte[] PublicKeyDer() => _rsa.ExportSubjectPublicKeyInfo();

    public byte[] JwksJson() => _store.ToJwks(_loadedAt).ToUtf8Json();

    public byte[] Modulus() => _rsa.ExportParameters(false).Modulus!;

    /// <summary>ES256 with r = s = 0 (CVE-2022-21449), which broken verifiers accept for any input.</summary>
    public string PsychicSignature() =>
        Signed("ES256", Kid, _ => new byte[64]);

    /// <summary>Signed by a key that is not in the JWKS, claiming the real key's kid or its own.</summary>
    public string SignedByUnknownKey(bool claimRealKid) =>
        Signed("RS256", claimRealKid ? Kid : AttackerKid,
            input => AttackerKey.Value.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>The attacker's key embedded as <c>jwk</c>, signed with it: a verifier trusting the header is owned.</summary>
    public string EmbeddedJwk()
    {
        var parameters = AttackerKey.Value.ExportParameters(false);
        return SignedByAttacker(header => header["jwk"] = new JsonObject
        {
            ["kty"] = "RSA",
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        });
    }

    /// <summary>A self-signed certificate for the attacker's key in <c>x5c</c> (and optionally a URL member).</summary>
    public string EmbeddedX5c()
    {
        var request = new CertificateRequest("CN=attacker", AttackerKey.Value, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return SignedByAttacker(header => header["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData)));
    }

    /// <summary>A header member pointing at a URL (jku, x5u), signed with the attacker's key.</summary>
    public string PointingAt(string member, Uri url) =>
        SignedByAttacker(header => header[member] = url.ToString());

    /// <summary>RFC 7797 <c>b64: false</c>: the signature covers the raw payload, not its encoding.</summary>
    public string UnencodedPayload(bool listInCrit)
    {
        var header = Tokens.Header();
        header["b64"] = false;
        if (listInCrit)
        {
            header["crit"] = new JsonArray("b64");
        }
        var encodedHeader = TokenFactory.Encode(header);
        var payload = Tokens.Claims().ToJsonString();
        var signature = _rsa.SignData(
            Encoding.UTF8.GetBytes($"{encodedHeader}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        // The compact form keeps the payload encoded so the token still looks ordinary to a lax parser.
        return $"{encodedHeader}.{TokenFactory.Encode(payload)}.{Base64UrlEncoder.Encode(signature)}";
    }

    public string WithSignature(Func<string, string> change)
    {
        var token = Valid();
        var dot = token.LastIndexOf('.');
        return token[..(dot + 1)] + change(token[(dot + 1)..]);
    }

    /// <summary>The signature's bytes altered, re-encoded canonically.</summary>
    public string WithSignatureBytes(Func<byte[], byte[]> change) =>
        WithSignature(signature => Base64UrlEncoder.Encode(change(Base64UrlEncoder.DecodeBytes(signature))));

    /// <summary>
    /// A valid token with one segment respelled as text. A changed header or payload is signed
    /// again over its new spelling (the JWS signing input is the text, not the decoded bytes), so
    /// only the spelling is wrong; a respelled signature keeps the same bytes where it can.
    /// </summary>
    public string WithSegment(int index, Func<string, string> respell)
    {
        var parts = Valid().Split('.');
        parts[index] = respell(parts[index]);
        if (index == 2)
        {
            return string.Join('.', parts);
        }
        var input = $"{parts[0]}.{parts[1]}";
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{input}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>A valid token whose signature is written in the base64 alphabet (+ and /), same bytes.</summary>
    public string InStandardBase64Alphabet()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var token = Valid();
            var dot = token.LastIndexOf('.');
            var signature = token[(dot + 1)..];
            if (signature.Contains('-', StringComparison.Ordinal) || signature.Contains('_', StringComparison.Ordinal))
            {
                return token[..(dot + 1)] + signature.Replace('-', '+').Replace('_', '/');
            }
        }
        throw new InvalidOperationException("No signature with a '-' or '_' in 20 attempts.");
    }

    /// <summary>
    /// A payload spelled with + and / and signed over that spelling: a decoder that accepts both
    /// alphabets reads the same claims and finds the signature valid.
    /// </summary>
    public string PayloadInStandardBase64Alphabet()
    {
        // "???" and ">>>" encode to characters 62 and 63 whatever their offset in the JSON.
        var claims = Tokens.Claims();
        claims["note"] = "???>>>???";
        return WithSegment(1, _ => Convert.ToBase64String(Encoding.UTF8.GetBytes(claims.ToJsonString())).TrimEnd('='));
    }

    /// <summary>The same bytes spelled with non-zero spare bits in the last character.</summary>
    public static string WithSpareBitsSet(string segment)
    {
        var spareMask = (segment.Length % 4) switch
        {
            2 => 0x0F,
            3 => 0x03,
            _ => throw new ArgumentException("The segment has no spare bits.", nameof(segment)),
        };
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var last = alphabet.IndexOf(segment[^1], StringComparison.Ordinal);
        return segment[..^1] + alphabet[last | spareMask];
    }

    /// <summary>A valid token with segments appended or removed, to make a token of the given segment count.</summary>
    public string WithSegmentCount(int count)
    {
        var parts = Valid().Split('.').ToList();
        while (parts.Count < count)
        {
            parts.Add(parts[1]);
        }
        return string.Join('.', parts.Take(count));
    }

    /// <summary>The valid token in JWS JSON serialization (RFC 7515 section 7.2).</summary>
    public string AsJwsJson()
    {
        var parts = Valid().Split('.');
        return new JsonObject { ["payload"] = parts[1], ["protected"] = parts[0], ["signature"] = parts[2] }.ToJsonString();
    }

    /// <summary>A compact JWE (five segments) with an encryption header.</summary>
    public string Jwe()
    {
        var header = new JsonObject { ["alg"] = "RSA-OAEP", ["enc"] = "A256GCM", ["kid"] = Kid, ["typ"] = "at+jwt" };
        string Random(int bytes) => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(bytes));
        return $"{TokenFactory.Encode(header)}.{Random(256)}.{Random(12)}.{Random(200)}.{Random(16)}";
    }

    /// <summary>The given header and claims, signed RS256 by the attacker's key (one the JWKS does not hold).</summary>
    public static string SignedWith(JsonObject header, JsonObject claims) =>
        TokenFactory.Sign(TokenFactory.Encode(header), TokenFactory.Encode(claims), AttackerKey.Value);

    private string SignedByAttacker(Action<JsonObject> change)
    {
        var header = Tokens.Header();
        header["kid"] = AttackerKid;
        change(header);
        var input = $"{TokenFactory.Encode(header)}.{TokenFactory.Encode(Tokens.Claims())}";
        var signature = AttackerKey.Value.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{input}.{Base64UrlEncoder.Encode(signature)}";
    }

    private string Signed(string alg, string kid, Func<byte[], byte[]> sign)
    {
        var header = Tokens.Header();
        header["alg"] = alg;
        header["kid"] = kid;
        var input = $"{TokenFactory.Encode(header)}.{TokenFactory.Encode(Tokens.Claims())}";
        return $"{input}.{Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes(input)))}";
    }
}
