using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireJwks.KeyStore;

// The part of the store that PEM files and the JWKS cannot express: which keys belong to it and
// when each may sign. Shape (version 1):
// { "formatVersion": 1,
//   "keys": [ { "kid": "...", "alg": "RS256", "createdAt": "2026-...Z", "activatesAt": "2026-...Z" } ] }
public sealed record KeyStoreManifest(int FormatVersion, IReadOnlyList<ManifestKey> Keys)
{
    public const int CurrentFormatVersion = 1;
}

public sealed record ManifestKey(string Kid, string Alg, DateTimeOffset CreatedAt, DateTimeOffset ActivatesAt);

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
