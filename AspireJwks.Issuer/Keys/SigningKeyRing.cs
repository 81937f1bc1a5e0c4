using System.Security.Cryptography;
using AspireJwks.KeyStore;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Issuer.Keys;

/// <summary>
/// The keys Auth works with. Holds the last valid store and a snapshot of it for the current moment
/// (the signing credentials of the active key, the JWKS as ready-to-send bytes with their ETag), so
/// no request imports a key or serializes JSON. The snapshot knows when the next key changes state
/// and is rebuilt on the first access after that moment, so a key activates or leaves the JWKS on
/// time even when the store is not touched.
/// </summary>
internal sealed class SigningKeyRing(TimeProvider timeProvider, ILogger<SigningKeyRing> logger)
{
    private readonly Lock _gate = new();
    private volatile LoadedKeyStore? _store;
    private Dictionary<string, SigningCredentials> _credentials = [];
    private volatile KeyRingSnapshot? _current;

    /// <summary>The last valid store published, if any.</summary>
    public LoadedKeyStore? Store => _store;

    /// <summary>Raised with the new snapshot each time a store is loaded into the ring.</summary>
    public event Action<KeyRingSnapshot>? Loaded;

    public KeyRingSnapshot Current
    {
        get
        {
            var snapshot = _current ?? throw new InvalidOperationException("The key store has not been loaded yet.");
            if (snapshot.ValidUntil is { } validUntil && timeProvider.GetUtcNow() >= validUntil)
            {
                lock (_gate)
                {
                    snapshot = _current;
                    if (snapshot.ValidUntil is { } stillValidUntil && timeProvider.GetUtcNow() >= stillValidUntil)
                    {
                        snapshot = Rebuild();
                    }
                }
            }
            return snapshot;
        }
    }

    /// <summary>Makes <paramref name="store"/> the one Auth signs and publishes from.</summary>
    public void Publish(LoadedKeyStore store)
    {
        KeyRingSnapshot snapshot;
        lock (_gate)
        {
            _store = store;
            // One credentials object per key and load: IdentityModel caches its signature providers per key object.
            _credentials = store.Keys.ToDictionary(
                key => key.Kid,
                key => new SigningCredentials(SigningAlgorithms.ToSecurityKey(key.PrivateKey, key.Kid), key.Entry.Alg),
                StringComparer.Ordinal);
            snapshot = Rebuild();
        }
        Loaded?.Invoke(snapshot);
    }

    private KeyRingSnapshot Rebuild()
    {
        var now = timeProvider.GetUtcNow();
        var previous = _current;
        KeyRingSnapshot snapshot;
        try
        {
            snapshot = KeyRingSnapshot.From(_store!, _credentials, now);
        }
        catch (KeyStoreException ex) when (previous is not null)
        {
            // Only a hand-edited manifest can leave no active key later on; a request must never
            // fail for it, so the last snapshot stays in force until the store is fixed.
            logger.LogError("Keeping the current keys: {Message}", ex.Message);
            _current = previous with { ValidUntil = null };
            return _current;
        }
        _current = snapshot;
        if (previous?.ActiveKid != snapshot.ActiveKid)
        {
            logger.LogInformation("Signing with key {Kid} ({Alg}); publishing {KeyCount} key(s)",
                snapshot.ActiveKid, snapshot.SigningCredentials.Algorithm, snapshot.PublishedKids.Count);
        }
        return snapshot;
    }
}

/// <param name="ValidUntil">When a key next changes state and this snapshot must be rebuilt; null if never.</param>
internal sealed record KeyRingSnapshot(
    SigningCredentials SigningCredentials,
    byte[] JwksJson,
    string JwksETag,
    IReadOnlyList<string> Algorithms,
    IReadOnlyList<string> PublishedKids,
    DateTimeOffset? ValidUntil)
{
    public string ActiveKid => SigningCredentials.Key.KeyId;

    public static KeyRingSnapshot From(LoadedKeyStore store, IReadOnlyDictionary<string, SigningCredentials> credentials, DateTimeOffset now)
    {
        var active = store.Active(now);
        var jwksDocument = store.ToJwks(now);
        var jwks = jwksDocument.ToUtf8Json();
        var etag = $"\"{Base64UrlEncoder.Encode(SHA256.HashData(jwks))}\"";
        var algorithms = jwksDocument.Keys.Select(key => key.Alg).Distinct(StringComparer.Ordinal).ToList();
        return new KeyRingSnapshot(
            credentials[active.Kid], jwks, etag, algorithms,
            [.. jwksDocument.Keys.Select(key => key.Kid)],
            KeyLifecycle.NextTransition(store.Statuses(now), now));
    }
}
