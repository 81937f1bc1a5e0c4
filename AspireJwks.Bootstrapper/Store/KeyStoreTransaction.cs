using System.Security.Cryptography;
using System.Text;
using AspireJwks.KeyStore;

namespace AspireJwks.Bootstrapper.Store;

/// <summary>What <see cref="KeyStoreTransaction.Commit"/> had to write.</summary>
internal enum CommitResult
{
    /// <summary>Nothing: the store already was as committed.</summary>
    Unchanged,

    /// <summary>Only <c>jwks.json</c>, which was missing or stale.</summary>
    JwksRederived,

    /// <summary>The manifest and the <c>jwks.json</c> derived from it.</summary>
    ManifestWritten,
}

/// <summary>
/// One change to the store, and the only way anything is written to it. <see cref="KeyStoreWriter"/>
/// locks the store and loads it as it is now; the command decides; <see cref="AddKey"/> writes new
/// key files; <see cref="Commit"/> writes the manifest (the commit point), derives <c>jwks.json</c>
/// and deletes the files of keys the manifest no longer publishes. A crash at any point leaves a
/// loadable store: new key files are unreferenced until the manifest lists them, <c>jwks.json</c> is
/// re-derived by <c>init</c>, and files are deleted only once nothing refers to them.
/// </summary>
internal sealed class KeyStoreTransaction : IDisposable
{
    // PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC (RFC 8018). The iteration count is OWASP's
    // current advice for PBKDF2-SHA256; it is paid once per key load, never per request.
    private static readonly PbeParameters Encryption = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 600_000);

    private readonly KeyStoreLayout _layout;
    private readonly KeyStoreLock _lock;
    private readonly TimeProvider _timeProvider;
    private readonly IKeyStoreFiles _files;
    private readonly string? _passphrase;
    private readonly Dictionary<string, PublicJwk> _writtenKeys = new(StringComparer.Ordinal);
    private readonly List<AsymmetricAlgorithm> _generatedKeys = [];

    internal KeyStoreTransaction(
        KeyStoreLayout layout, KeyStoreLock storeLock, LoadedKeyStore store, DateTimeOffset now,
        TimeProvider timeProvider, IKeyStoreFiles files, string? passphrase)
    {
        _layout = layout;
        _lock = storeLock;
        Store = store;
        Now = now;
        _timeProvider = timeProvider;
        _files = files;
        _passphrase = passphrase;
    }

    /// <summary>The store as loaded under the lock; a store being created has a manifest with no key.</summary>
    public LoadedKeyStore Store { get; }

    /// <summary>
    /// The moment of the change: when the store was loaded, moved on to when new key files are on
    /// disk. A new key's dates count from then: generating a 4096-bit RSA key or encrypting it with
    /// 600,000 PBKDF2 rounds can take seconds on a busy machine, and that time must not be taken out
    /// of the propagation delay validators are promised.
    /// </summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>Makes a key as <paramref name="policy"/> asks and writes its files, which nothing refers to yet.</summary>
    /// <returns>Its kid: the key's thumbprint.</returns>
    public string AddKey(KeyStorePolicy policy)
    {
        var privateKey = SigningAlgorithms.Generate(policy.SigningAlgorithm, policy.RsaKeySize);
        _generatedKeys.Add(privateKey);
        var jwk = PublicJwk.FromKey(privateKey, policy.SigningAlgorithm);
        WriteKeyFiles(jwk, privateKey);
        return jwk.Kid;
    }

    /// <summary>Writes a stored key's files again, its private key encrypted with the passphrase now configured.</summary>
    public void EncryptAtRest(StoredKey key) => WriteKeyFiles(key.PublicJwk, key.PrivateKey);

    /// <summary>
    /// Makes <paramref name="manifest"/> (pruned) the store's, unless it is the loaded one and no key
    /// file was written; then writes the <c>jwks.json</c> it publishes now if the file differs, and
    /// deletes the files of keys it no longer publishes.
    /// </summary>
    public CommitResult Commit(KeyStoreManifest manifest)
    {
        var changed = manifest != Store.Manifest || _writtenKeys.Count > 0;
        var committed = changed ? ManifestChanges.Prune(manifest, Now) : Store.Manifest;
        if (changed)
        {
            _files.Write(_layout.ManifestPath,
                KeyStoreJsonContext.Serialize(committed, KeyStoreJsonContext.Default.KeyStoreManifest), KeyStoreFiles.WorldReadable);
        }

        var published = KeyLifecycle.Evaluate(committed, Now).Where(status => status.IsPublished).Select(status => status.Kid).ToList();
        var jwks = new JsonWebKeySetDocument([.. published.Select(PublicJwkOf)]).ToUtf8Json();
        var rederived = changed || !File.Exists(_layout.JwksPath) || !File.ReadAllBytes(_layout.JwksPath).AsSpan().SequenceEqual(jwks);
        if (rederived)
        {
            _files.Write(_layout.JwksPath, jwks, KeyStoreFiles.WorldReadable);
        }

        var obsolete = changed ? Store.Manifest.Keys.Select(key => key.Kid).Except(published, StringComparer.Ordinal).ToList() : [];
        if (obsolete.Count > 0)
        {
            // The private key first: it is the one that must not linger.
            _files.Delete([.. obsolete.SelectMany(kid => new[] { _layout.PrivateKeyPath(kid), _layout.PublicKeyPath(kid) })]);
        }
        return changed ? CommitResult.ManifestWritten : rederived ? CommitResult.JwksRederived : CommitResult.Unchanged;
    }

    public void Dispose()
    {
        foreach (var key in _generatedKeys)
        {
            key.Dispose();
        }
        _lock.Dispose();
    }

    private void WriteKeyFiles(PublicJwk jwk, AsymmetricAlgorithm privateKey)
    {
        var privatePem = _passphrase is null
            ? privateKey.ExportPkcs8PrivateKeyPem()
            : privateKey.ExportEncryptedPkcs8PrivateKeyPem(_passphrase, Encryption);
        _files.Write(_layout.PrivateKeyPath(jwk.Kid), Encoding.ASCII.GetBytes(privatePem), KeyStoreFiles.OwnerReadWrite);
        _files.Write(_layout.PublicKeyPath(jwk.Kid), Encoding.ASCII.GetBytes(privateKey.ExportSubjectPublicKeyInfoPem()), KeyStoreFiles.WorldReadable);
        _writtenKeys[jwk.Kid] = jwk;
        Now = _timeProvider.GetUtcNow();
    }

    private PublicJwk PublicJwkOf(string kid) =>
        _writtenKeys.TryGetValue(kid, out var written) ? written : Store.Keys.Single(key => key.Kid == kid).PublicJwk;
}
