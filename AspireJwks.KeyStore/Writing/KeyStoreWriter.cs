using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AspireJwks.KeyStore.Writing;

/// <summary>The only writer of the on-disk format: every change to a store is a <see cref="KeyStoreTransaction"/> begun here.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class KeyStoreWriter(TimeProvider timeProvider, IConfiguration configuration, IKeyStoreFiles files, ILogger<KeyStoreWriter> logger)
{
    /// <summary>The configuration key of the passphrase (environment: <c>KeyStore__Passphrase</c>), shared with Auth.</summary>
    public const string PassphraseKey = "KeyStore:Passphrase";

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    public string? Passphrase => configuration[PassphraseKey] is { Length: > 0 } passphrase ? passphrase : null;

    /// <summary>Checks the store's directory, locks the store, loads it as it is now and removes what an interrupted command left.</summary>
    public KeyStoreTransaction Open(KeyStoreLayout layout)
    {
        KeyStoreReader.RequirePrivateDirectory(layout);
        var storeLock = KeyStoreLock.Acquire(layout, LockTimeout, timeProvider);
        try
        {
            var now = timeProvider.GetUtcNow();
            var transaction = new KeyStoreTransaction(layout, storeLock, KeyStoreReader.Load(layout, now, Passphrase), now, timeProvider, files, Passphrase, logger);
            transaction.RemoveLeftovers();
            return transaction;
        }
        catch
        {
            storeLock.Dispose();
            throw;
        }
    }

    /// <summary>Creates the store's directory (owner only), checks it and locks it; the store it begins with has no key.</summary>
    public KeyStoreTransaction Create(KeyStoreLayout layout, KeyStorePolicy policy)
    {
        if (File.Exists(layout.JwksPath))
        {
            throw new KeyStoreException(
                $"{layout.ManifestPath} is missing but {layout.JwksPath} exists; refusing to create keys over an existing store.");
        }
        Directory.CreateDirectory(layout.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        KeyStoreReader.RequirePrivateDirectory(layout);
        var storeLock = KeyStoreLock.Acquire(layout, LockTimeout, timeProvider);
        if (KeyStoreReader.ManifestExists(layout))
        {
            storeLock.Dispose();
            throw new KeyStoreException($"{layout.ManifestPath} was created by another command meanwhile; run init again.");
        }
        var empty = new LoadedKeyStore(new KeyStoreManifest(KeyStoreManifest.CurrentFormatVersion, [], policy), []);
        return new KeyStoreTransaction(layout, storeLock, empty, timeProvider.GetUtcNow(), timeProvider, files, Passphrase, logger);
    }
}
