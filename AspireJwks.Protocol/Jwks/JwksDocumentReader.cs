using System.Buffers.Text;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using AspireJwks.Protocol.Jose;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Protocol.Jwks;

/// <param name="Keys">The keys to trust from now on; null when the whole document is refused.</param>
/// <param name="Refusal">Why the whole document is refused (the previous keys stay in force).</param>
/// <param name="SkippedKeys">Why each unusable entry was left out of an accepted document.</param>
internal sealed record JwksReadResult(JwksKeySet? Keys, string? Refusal, IReadOnlyList<string> SkippedKeys);

/// <summary>
/// Checks a JWK Set (RFC 7517) before any key in it is trusted, so that a compromised or buggy
/// issuer cannot weaken the API: a document that is not strict JSON, is too big, has too many keys,
/// repeats a kid or has no usable key is refused whole; an entry is usable only as a public
/// signing key that fits its one algorithm (RSA of 2048 to 8192 bits with a sane exponent for RS256
/// and PS256, a valid P-256 point for ES256, never a symmetric or private key). Written here
/// rather than with IdentityModel's JsonWebKeySet, which accepts all of these and decides nothing.
/// </summary>
internal static class JwksDocumentReader
{
    /// <summary>A JWKS of a few keys is a few KB; anything near this is not a JWKS.</summary>
    public const int MaxDocumentBytes = 64 * 1024;

    /// <summary>Auth publishes the active key, at most one next key and the retired keys still in retention.</summary>
    public const int MaxKeys = 20;

    private const int MinimumRsaKeySize = 2048;

    // Verifying grows with the modulus: a huge key would make every request slow.
    private const int MaximumRsaKeySize = 8192;

    private const int P256CoordinateBytes = 32;

    // RFC 7518 sections 6.2.2, 6.3.2 and 6.4.1: the members that carry secret key material.
    private static readonly HashSet<string> SecretMembers = new(StringComparer.Ordinal) { "d", "p", "q", "dp", "dq", "qi", "oth", "k" };

    private static readonly JsonDocumentOptions StrictJson = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
    };

    /// <param name="json">The JWKS document as fetched.</param>
    /// <param name="previous">The keys trusted so far: an unchanged key is kept as the same object, so caches keyed on it stay warm.</param>
    public static JwksReadResult Read(ReadOnlySpan<byte> json, JwksKeySet previous)
    {
        if (json.Length > MaxDocumentBytes)
        {
            return Refused($"it is larger than {MaxDocumentBytes} bytes");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), StrictJson);
        }
        catch (JsonException)
        {
            return Refused("it is not strict JSON (syntax, duplicate members or nesting)");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var entries)
                || entries.ValueKind != JsonValueKind.Array)
            {
                return Refused("it is not a JWK Set (an object with a \"keys\" array)");
            }
            if (entries.GetArrayLength() > MaxKeys)
            {
                return Refused($"it holds {entries.GetArrayLength()} keys, more than {MaxKeys}");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var keys = new List<VerificationKey>();
            var skipped = new List<string>();
            foreach (var entry in entries.EnumerateArray())
            {
                var kid = entry.ValueKind == JsonValueKind.Object ? StringMember(entry, "kid") : null;
                if (kid is not null && !seen.Add(kid))
                {
                    // Two keys under one kid: which one a token means is anyone's guess.
                    return Refused(AccessTokenProtocol.IsKid(kid) ? $"the kid {kid} appears twice" : "a kid appears twice");
                }
                var (key, problem) = ReadKey(entry, kid, previous);
                if (key is not null)
                {
                    keys.Add(key);
                }
                else
                {
                    skipped.Add(AccessTokenProtocol.IsKid(kid) ? $"key {kid} {problem}" : $"a key {problem}");
                }
            }
            return keys.Count == 0
                ? Refused($"it has no usable signing key ({string.Join("; ", skipped.DefaultIfEmpty("it is empty"))})")
                : new JwksReadResult(new JwksKeySet(keys), null, skipped);
        }
    }

    private static (VerificationKey?, string?) ReadKey(JsonElement entry, string? kid, JwksKeySet previous)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return (null, "is not a JSON object");
        }
        if (entry.EnumerateObject().Any(member => SecretMembers.Contains(member.Name)))
        {
            return (null, "holds private or symmetric key material");
        }
        if (!AccessTokenProtocol.IsKid(kid))
        {
            return (null, "has no base64url kid");
        }
        if (StringMember(entry, "alg") is not { } alg || !AccessTokenProtocol.SigningAlgorithms.Contains(alg))
        {
            return (null, "has no allowed alg (RS256, PS256, ES256)");
        }
        if (entry.TryGetProperty("use", out var use) && !(use.ValueKind == JsonValueKind.String && use.GetString() == "sig"))
        {
            return (null, "is not for signatures (use is not \"sig\")");
        }
        if (entry.TryGetProperty("key_ops", out var operations)
            && !(operations.ValueKind == JsonValueKind.Array
                 && operations.EnumerateArray().Any(operation => operation.ValueKind == JsonValueKind.String && operation.GetString() == "verify")))
        {
            return (null, "is not for verifying (key_ops has no \"verify\")");
        }
        return ReadPublicKey(entry, kid, alg, previous);
    }

    /// <summary>
    /// The public key of one JWK for <paramref name="alg"/>, with the checks every key here gets
    /// (no private or symmetric members, a key type that fits the algorithm, RSA size and exponent,
    /// a point on P-256): for a JWKS entry, and for a key that comes alone, as in a DPoP proof.
    /// </summary>
    public static (VerificationKey? Key, string? Problem) ReadPublicKey(JsonElement jwk, string kid, string alg, JwksKeySet? previous = null)
    {
        if (HoldsSecretMembers(jwk))
        {
            return (null, "holds private or symmetric key material");
        }
        previous ??= JwksKeySet.Empty;
        return (StringMember(jwk, "kty"), alg) switch
        {
            ("RSA", AccessTokenProtocol.Rs256 or AccessTokenProtocol.Ps256) => ReadRsa(jwk, kid, alg, previous),
            ("EC", AccessTokenProtocol.Es256) => ReadEc(jwk, kid, alg, previous),
            (var kty, _) => (null, $"has a key type ({(kty is "RSA" or "EC" or "oct" or "OKP" ? kty : "other")}) that cannot sign {alg}"),
        };
    }

    /// <summary>Whether a JWK carries private or symmetric key material (RFC 7518 sections 6.2.2, 6.3.2, 6.4.1).</summary>
    public static bool HoldsSecretMembers(JsonElement jwk) => jwk.EnumerateObject().Any(member => SecretMembers.Contains(member.Name));

    private static (VerificationKey?, string?) ReadRsa(JsonElement entry, string kid, string alg, JwksKeySet previous)
    {
        if (Base64UrlMember(entry, "n") is not { Length: > 0 } modulus || modulus[0] == 0
            || Base64UrlMember(entry, "e") is not { Length: > 0 and <= 8 } exponent || exponent[0] == 0)
        {
            return (null, "has no minimal base64url n and e");
        }
        var bits = (modulus.Length * 8) - BitOperations.LeadingZeroCount((uint)modulus[0]) + 24;
        if (bits is < MinimumRsaKeySize or > MaximumRsaKeySize)
        {
            return (null, $"is a {bits}-bit RSA key; {MinimumRsaKeySize} to {MaximumRsaKeySize} bits are accepted");
        }
        // An even or tiny exponent (e = 1 makes every "signature" its own message) is not RSA.
        if ((exponent[^1] & 1) == 0 || (exponent.Length == 1 && exponent[0] < 3))
        {
            return (null, "has an RSA exponent that is even or below 3");
        }
        try
        {
            return Published(kid, alg, [.. modulus, .. exponent], previous, () =>
                new RsaSecurityKey(RSA.Create(new RSAParameters { Modulus = modulus, Exponent = exponent })) { KeyId = kid });
        }
        catch (CryptographicException)
        {
            return (null, "is not a valid RSA public key");
        }
    }

    private static (VerificationKey?, string?) ReadEc(JsonElement entry, string kid, string alg, JwksKeySet previous)
    {
        if (StringMember(entry, "crv") != "P-256")
        {
            return (null, "is not on the P-256 curve, which ES256 requires");
        }
        if (Base64UrlMember(entry, "x") is not { Length: P256CoordinateBytes } x || Base64UrlMember(entry, "y") is not { Length: P256CoordinateBytes } y)
        {
            return (null, "has no 32-byte base64url x and y");
        }
        try
        {
            // Importing checks the point is on the curve: an invalid point is an attack (invalid-curve).
            // A key already trusted with the same point was checked when it was first read.
            return Published(kid, alg, [.. x, .. y], previous, () => new ECDsaSecurityKey(
                ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } })) { KeyId = kid });
        }
        catch (CryptographicException)
        {
            return (null, "is not a point on P-256");
        }
    }

    private static (VerificationKey?, string?) Published(string kid, string alg, byte[] material, JwksKeySet previous, Func<AsymmetricSecurityKey> create)
    {
        if (previous.TryGet(kid, out var known) && known.Algorithm == alg && known.Material.AsSpan().SequenceEqual(material))
        {
            return (known, null);
        }
        return (new VerificationKey(kid, alg, create(), material), null);
    }

    private static string? StringMember(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? Base64UrlMember(JsonElement entry, string name) =>
        StringMember(entry, name) is { } text && CompactJws.IsCanonicalBase64Url(text) ? Base64Url.DecodeFromChars(text) : null;

    private static JwksReadResult Refused(string why) => new(null, $"Refused the JWKS: {why}", []);
}
