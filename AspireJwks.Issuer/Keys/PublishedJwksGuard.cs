using System.Text.Json;
using AspireJwks.KeyStore;
using AspireJwks.Protocol.Jwks;

namespace AspireJwks.Issuer.Keys;

/// <summary>
/// Refuses a store whose <c>jwks.json</c> holds private or symmetric key members. Auth serves a
/// JWKS computed from the key files, never that file, but a file anyone may read that holds a
/// private key means the store was written by something other than the bootstrapper, or
/// tampered with: the keys can no longer be trusted, so Auth does not start.
/// </summary>
internal static class PublishedJwksGuard
{
    public static void RequirePublicOnly(KeyStoreLayout layout)
    {
        var path = layout.JwksPath;
        if (!File.Exists(path))
        {
            return;
        }
        try
        {
            using var jwks = JsonDocument.Parse(File.ReadAllBytes(path));
            var keys = jwks.RootElement.GetProperty("keys").EnumerateArray();
            foreach (var key in keys)
            {
                if (key.ValueKind != JsonValueKind.Object
                    || JwksDocumentReader.HoldsSecretMembers(key)
                    || (key.TryGetProperty("kty", out var kty) && kty.ValueKind == JsonValueKind.String && kty.GetString() == "oct"))
                {
                    throw new KeyStoreException($"{path} holds private or symmetric key material; a JWKS must hold public keys only.");
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new KeyStoreException($"{path} is not a readable JWK Set: {ex.Message}", ex);
        }
    }
}
