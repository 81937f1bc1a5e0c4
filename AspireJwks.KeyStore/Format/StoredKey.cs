using System.Security.Cryptography;

namespace AspireJwks.KeyStore;

/// <summary>A key of the store, loaded and checked: its manifest entry, private key and public JWK.</summary>
/// <param name="EncryptedAtRest">Whether its private key file is encrypted PKCS#8.</param>
internal sealed record StoredKey(ManifestKey Entry, AsymmetricAlgorithm PrivateKey, PublicJwk PublicJwk, bool EncryptedAtRest)
{
    public string Kid => Entry.Kid;
}

/// <summary>
/// Everything a valid store holds, as read at one moment: the manifest, and the keys that were
/// published then (a key only moves forward in its life, so no other key can be needed later).
/// </summary>
internal sealed record LoadedKeyStore(KeyStoreManifest Manifest, IReadOnlyList<StoredKey> Keys)
{
    public IReadOnlyList<KeyStatus> Statuses(DateTimeOffset now) => KeyLifecycle.Evaluate(Manifest, now);

    /// <summary>The key that signs at <paramref name="now"/>.</summary>
    public StoredKey Active(DateTimeOffset now)
    {
        var kid = KeyLifecycle.Active(Statuses(now))?.Kid;
        return Keys.FirstOrDefault(key => key.Kid == kid)
            ?? throw new KeyStoreException($"No key of the store is active at {now:O}.");
    }

    /// <summary>The JWK Set published at <paramref name="now"/>: next, active and retired keys, in manifest order.</summary>
    public JsonWebKeySetDocument ToJwks(DateTimeOffset now)
    {
        var published = Statuses(now).Where(status => status.IsPublished).Select(status => status.Kid).ToHashSet(StringComparer.Ordinal);
        return new([.. Keys.Where(key => published.Contains(key.Kid)).Select(key => key.PublicJwk)]);
    }
}
