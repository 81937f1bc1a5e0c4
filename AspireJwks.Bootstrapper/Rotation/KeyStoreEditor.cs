using AspireJwks.Bootstrapper.Writing;
using AspireJwks.KeyStore;
using Microsoft.Extensions.Configuration;

namespace AspireJwks.Bootstrapper.Rotation;

/// <summary>
/// Runs one change against the store: takes the lock, loads the store as it is now, lets the
/// command compute the next manifest, prunes it and writes it through <see cref="KeyStoreUpdate"/>.
/// </summary>
internal sealed class KeyStoreEditor(TimeProvider timeProvider, IConfiguration configuration)
{
    /// <summary>The configuration key of the passphrase (environment: <c>KeyStore__Passphrase</c>), shared with Auth.</summary>
    public const string PassphraseKey = "KeyStore:Passphrase";

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    public string? Passphrase => configuration[PassphraseKey] is { Length: > 0 } passphrase ? passphrase : null;

    /// <summary>A hook after each write step; tests throw from it to simulate a crash.</summary>
    internal Action<KeyStoreWriteStep>? AfterStep { get; set; }

    public TimeProvider Time => timeProvider;

    public KeyStoreLock Lock(KeyStoreLayout layout) => KeyStoreLock.Acquire(layout, LockTimeout, timeProvider);

    /// <summary>
    /// Under the lock: loads the store, lets <paramref name="createKeys"/> make the keys the change
    /// needs and writes their files, then lets <paramref name="change"/> compute the next manifest
    /// and commits it.
    /// </summary>
    public T Edit<T>(
        KeyStoreLayout layout,
        Func<LoadedKeyStore, DateTimeOffset, IReadOnlyList<NewKey>> createKeys,
        Func<LoadedKeyStore, IReadOnlyList<NewKey>, DateTimeOffset, StoreChange<T>> change)
    {
        using var storeLock = Lock(layout);
        var store = KeyStoreReader.Load(layout, timeProvider.GetUtcNow(), Passphrase);
        var newKeys = createKeys(store, timeProvider.GetUtcNow());
        KeyStoreUpdate.WriteNewKeyFiles(layout, newKeys, Passphrase, AfterStep);
        // Dates count from here, when the keys are on disk: generating a 4096-bit RSA key or
        // encrypting it with 600,000 PBKDF2 rounds can take seconds on a busy machine, and that time
        // must not be taken out of the propagation delay validators are promised.
        var now = timeProvider.GetUtcNow();
        var result = change(store, newKeys, now);
        Commit(layout, store, result.Manifest, result.NewKeys, now, newKeyFilesWritten: true);
        return result.Value;
    }

    /// <summary>Writes <paramref name="manifest"/> (pruned) with its new keys; the caller holds the lock.</summary>
    public void Commit(
        KeyStoreLayout layout, LoadedKeyStore? current, KeyStoreManifest manifest, IReadOnlyList<NewKey> newKeys, DateTimeOffset now,
        bool newKeyFilesWritten = false)
    {
        var pruned = ManifestChanges.Prune(manifest, now);
        // A "new" key may be an existing one rewritten (encrypted in place): same kid, same JWK.
        var publicJwks = (current?.Keys.Select(key => key.PublicJwk) ?? [])
            .Concat(newKeys.Select(key => PublicJwk.FromKey(key.PrivateKey, pruned.Keys.Single(entry => entry.Kid == key.Kid).Alg)))
            .DistinctBy(jwk => jwk.Kid, StringComparer.Ordinal)
            .ToDictionary(jwk => jwk.Kid, StringComparer.Ordinal);
        var published = KeyLifecycle.Evaluate(pruned, now).Where(status => status.IsPublished).Select(status => status.Kid).ToList();
        var jwks = new JsonWebKeySetDocument([.. published.Select(kid => publicJwks[kid])]);
        var obsolete = (current?.Manifest.Keys ?? []).Select(key => key.Kid).Except(published, StringComparer.Ordinal).ToList();

        new KeyStoreUpdate(pruned, newKeys, obsolete).Apply(layout, jwks, Passphrase, AfterStep, newKeyFilesWritten);
    }
}

/// <summary>What a command changes: the next manifest, the keys it created, and what it reports.</summary>
internal sealed record StoreChange<T>(KeyStoreManifest Manifest, IReadOnlyList<NewKey> NewKeys, T Value);
