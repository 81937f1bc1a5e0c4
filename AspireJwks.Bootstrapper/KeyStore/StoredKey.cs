using System.Security.Cryptography;

namespace AspireJwks.KeyStore;

/// <summary>A key of the store, loaded and checked: its manifest entry, private key and public JWK.</summary>
public sealed record StoredKey(ManifestKey Entry, RSA PrivateKey, PublicJwk PublicJwk)
{
    public string Kid => Entry.Kid;
}

/// <summary>Everything a valid store holds, as read at one moment.</summary>
public sealed record LoadedKeyStore(KeyStoreManifest Manifest, IReadOnlyList<StoredKey> Keys)
{
    /// <summary>The JWK Set of every key the store holds, in manifest order.</summary>
    public JsonWebKeySetDocument ToJwks() => new([.. Keys.Select(key => key.PublicJwk)]);
}
