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

    /// <summary>Loads the store, applies <paramref name="change"/> and commits it; all under the lock.</summary>
    public T Edit<T>(KeyStoreLayout layout, Func<LoadedKeyStore, DateTimeOffset, StoreChange<T>> change)
    {
        using var storeLock = Lock(layout);
        var now = timeProvider.GetUtcNow();
        var store = KeyStoreReader.Load(layout, now, Passphrase);
        var result = change(store, now);
        Commit(layout, store, result.Manifest, result.NewKeys, now);
        return result.Value;
    }

    /// <summary>Writes <paramref name="manifest"/> (pruned) with its new keys; the caller holds the lock.</summary>
    public void Commit(KeyStoreLayout layout, LoadedKeyStore? current, KeyStoreManifest manifest, IReadOnlyList<NewKey> newKeys, DateTimeOffset now)
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

        new KeyStoreUpdate(pruned, newKeys, obsolete).Apply(layout, jwks, Passphrase, AfterStep);
    }
}

/// <summary>What a command changes: the next manifest, the keys it created, and what it reports.</summary>
internal sealed record StoreChange<T>(KeyStoreManifest Manifest, IReadOnlyList<NewKey> NewKeys, T Value);
