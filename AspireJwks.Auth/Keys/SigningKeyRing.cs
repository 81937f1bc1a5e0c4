using System.Security.Cryptography;
using AspireJwks.KeyStore;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Auth.Keys;

/// <summary>
/// The keys Auth works with, prepared once per load of the store: the signing credentials of the
/// active key and the JWKS as ready-to-send bytes with their ETag, so no request imports a key,
/// builds credentials or serializes JSON.
/// </summary>
public sealed class SigningKeyRing
{
    private KeyRingSnapshot? _current;

    public KeyRingSnapshot Current =>
        _current ?? throw new InvalidOperationException("The key store has not been loaded yet.");

    public void Publish(LoadedKeyStore store) => _current = KeyRingSnapshot.From(store);
}

public sealed record KeyRingSnapshot(
    SigningCredentials SigningCredentials,
    byte[] JwksJson,
    string JwksETag,
    IReadOnlyList<string> Algorithms)
{
    public static KeyRingSnapshot From(LoadedKeyStore store)
    {
        // With one key per store until rotation exists, the newest key that has activated signs.
        var active = store.Keys.OrderByDescending(key => key.Entry.ActivatesAt).First();
        var credentials = new SigningCredentials(
            new RsaSecurityKey(active.PrivateKey) { KeyId = active.Kid },
            active.Entry.Alg);

        var jwks = store.ToJwks().ToUtf8Json();
        var etag = $"\"{Base64UrlEncoder.Encode(SHA256.HashData(jwks))}\"";
        var algorithms = store.Keys.Select(key => key.Entry.Alg).Distinct(StringComparer.Ordinal).ToList();
        return new KeyRingSnapshot(credentials, jwks, etag, algorithms);
    }
}
