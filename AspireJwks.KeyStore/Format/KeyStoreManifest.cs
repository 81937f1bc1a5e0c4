using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireJwks.KeyStore;

// The part of the store that PEM files and the JWKS cannot express: which keys belong to it, when
// each may sign, and the policy that times their lifecycle. Shape (version 2):
// { "formatVersion": 2,
//   "policy": { "signingAlgorithm": "RS256", "rsaKeySize": 2048, "propagationDelay": "00:02:30", "retention": "00:06:00" },
//   "keys": [ { "kid": "...", "alg": "RS256", "createdAt": "2026-...Z", "activatesAt": "2026-...Z", "revokedAt": "2026-...Z" } ] }
// Version 1 had no policy and no revokedAt; it is read with the default policy and rewritten as
// version 2 by the next command. States are not stored: they follow from these dates (KeyLifecycle).
internal sealed record KeyStoreManifest(
    int FormatVersion,
    [property: JsonPropertyOrder(1)] IReadOnlyList<ManifestKey> Keys,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] KeyStorePolicy? Policy = null)
{
    public const int CurrentFormatVersion = 2;

    public static readonly IReadOnlySet<int> ReadableFormatVersions = new HashSet<int> { 1, CurrentFormatVersion };

    /// <summary>The policy in force: the stored one, or the default for a version 1 store.</summary>
    [JsonIgnore]
    public KeyStorePolicy EffectivePolicy => Policy ?? KeyStorePolicy.Default;
}

/// <param name="RevokedAt">Set by <c>revoke</c>: the key left the JWKS at that moment and never signs again.</param>
internal sealed record ManifestKey(
    string Kid,
    string Alg,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivatesAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? RevokedAt = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(KeyStoreManifest))]
[JsonSerializable(typeof(JsonWebKeySetDocument))]
internal sealed partial class KeyStoreJsonContext : JsonSerializerContext
{
    public static byte[] Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        // A trailing newline keeps the files friendly to cat and diff.
        return [.. bytes, (byte)'\n'];
    }
}
