using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace AspireJwks.KeyStore.Writing;

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
/// and deletes whatever is on disk that the manifest does not publish. A crash at any point leaves a
/// loadable store: new key files are unreferenced until the manifest lists them, <c>jwks.json</c> is
/// re-derived by <c>init</c>, files are deleted only once nothing refers to them, and the next
/// transaction deletes what the crash left.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
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
    private readonly ILogger _logger;
    private readonly Dictionary<string, PublicJwk> _writtenKeys = new(StringComparer.Ordinal);
    private readonly List<AsymmetricAlgorithm> _generatedKeys = [];

    internal KeyStoreTransaction(
        KeyStoreLayout layout, KeyStoreLock storeLock, LoadedKeyStore store, DateTimeOffset now,
        TimeProvider timeProvider, IKeyStoreFiles files, string? passphrase, ILogger logger)
    {
        _layout = layout;
        _lock = storeLock;
        Store = store;
        Now = now;
        _timeProvider = timeProvider;
        _files = files;
        _passphrase = passphrase;
        _logger = logger;
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
    /// cleans up.
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

        var published = PublishedKids(committed);
        var jwks = new JsonWebKeySetDocument([.. published.Select(PublicJwkOf)]).ToUtf8Json();
        var rederived = changed || !File.Exists(_layout.JwksPath) || !File.ReadAllBytes(_layout.JwksPath).AsSpan().SequenceEqual(jwks);
        if (rederived)
        {
            _files.Write(_layout.JwksPath, jwks, KeyStoreFiles.WorldReadable);
        }

        CleanUp(published);
        return changed ? CommitResult.ManifestWritten : rederived ? CommitResult.JwksRederived : CommitResult.Unchanged;
    }

    /// <summary>
    /// Deletes what an interrupted command left, before this one decides anything: also when it is
    /// then refused (retrying a revocation that crashed after its manifest was written finds the
    /// key already revoked, and must still leave its private key deleted).
    /// </summary>
    public void RemoveLeftovers() => CleanUp(PublishedKids(Store.Manifest));

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

    /// <summary>
    /// Deletes every key file whose key is not published, and every temporary file: the files of
    /// revoked and gone keys, and what an interrupted command left (key files written before a
    /// manifest that never came, a revoked key's files it had no time to delete, half-written
    /// temporary files). Under the lock no other write is under way, so none of them is in use.
    /// </summary>
    private void CleanUp(IReadOnlyList<string> published)
    {
        var leftovers = Directory.EnumerateFiles(_layout.Directory)
            .Select(path => Path.GetFileName(path))
            .Where(name => KeyStoreLayout.IsTemporaryFile(name)
                || KeyStoreLayout.KidOfKeyFile(name) is { } kid && !published.Contains(kid, StringComparer.Ordinal))
            // Private keys (and temporary files, which may hold one) first: they are what must not linger.
            .OrderBy(name => KeyStoreLayout.IsPrivateKeyFile(name) || KeyStoreLayout.IsTemporaryFile(name) ? 0 : 1)
            .ThenBy(name => name, StringComparer.Ordinal)
            .ToList();
        if (leftovers.Count == 0)
        {
            return;
        }
        _files.Delete([.. leftovers.Select(name => Path.Combine(_layout.Directory, name))]);

        var unexpected = leftovers.Where(name => KeyStoreLayout.KidOfKeyFile(name) is not { } kid || !Store.Manifest.Keys.Any(key => key.Kid == kid)).ToList();
        if (unexpected.Count > 0)
        {
            _logger.LogWarning("Removed {Files} from {KeysDirectory}: left behind by an interrupted command", string.Join(", ", unexpected), _layout.Directory);
        }
    }

    private List<string> PublishedKids(KeyStoreManifest manifest) =>
        [.. KeyLifecycle.Evaluate(manifest, Now).Where(status => status.IsPublished).Select(status => status.Kid)];

    private PublicJwk PublicJwkOf(string kid) =>
        _writtenKeys.TryGetValue(kid, out var written) ? written : Store.Keys.Single(key => key.Kid == kid).PublicJwk;
}
