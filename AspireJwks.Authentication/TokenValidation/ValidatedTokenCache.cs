using System.Collections.Concurrent;
using System.Security.Claims;
using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Protocol.Jwks;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AspireJwks.Authentication.TokenValidation;

/// <summary>One validation's result, reusable for the exact same token until <see cref="ReuseUntil"/>.</summary>
internal sealed record CachedValidation(AccessToken Token, ClaimsIdentity Identity, VerificationKey Key, DateTimeOffset ReuseUntil)
{
    /// <summary>A principal of its own per request: application code may change the one it gets.</summary>
    public ClaimsPrincipal CreatePrincipal() => new(Identity.Clone());
}

/// <summary>
/// Reuses the result of validating one exact token, as Envoy's <c>jwt_cache_config</c> and
/// PostgREST's <c>jwt-cache-max-lifetime</c> do: a client sends the same token for its whole
/// lifetime, and verifying its signature again each time is most of a request's cost. Keyed by
/// the whole token (the dictionary compares it in full, not only its hash), bounded in entries,
/// reused at most the configured lifetime and never past <c>exp</c> plus the clock skew (checked on
/// every hit), never holding a failure, and dropping a key's tokens as soon as the JWKS no longer
/// holds that key, so revocation keeps exactly the bound it has without the cache.
/// </summary>
internal sealed class ValidatedTokenCache : IDisposable
{
    /// <summary>Distinct tokens held at most; a flood of valid tokens beyond it just validates uncached.</summary>
    public const int MaxEntries = 10_000;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    // One cancellation per trusted key: cancelling it evicts every entry the key verified.
    private readonly ConcurrentDictionary<VerificationKey, CancellationTokenSource> _keyLifetimes = new();
    private readonly JwksKeySource _keys;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _lifetime;
    private readonly TimeSpan _clockSkew;

    public ValidatedTokenCache(IOptions<TokenValidationOptions> options, JwksKeySource keys, TimeProvider timeProvider)
    {
        _keys = keys;
        _timeProvider = timeProvider;
        _lifetime = options.Value.ValidationCacheLifetime!.Value;
        _clockSkew = options.Value.ClockSkew!.Value;
        _keys.Changed += EvictKeysNoLongerTrusted;
    }

    public bool Enabled => _lifetime > TimeSpan.Zero;

    public int Count => _entries.Count;

    public bool TryGet(string token, out CachedValidation? validation)
    {
        validation = null;
        if (!Enabled || !_entries.TryGetValue(token, out CachedValidation? entry) || entry is null)
        {
            return false;
        }
        if (_timeProvider.GetUtcNow() >= entry.ReuseUntil || !_keys.Current.Holds(entry.Key))
        {
            _entries.Remove(token);
            return false;
        }
        validation = entry;
        return true;
    }

    /// <summary>Keeps a successful validation of <paramref name="token"/> for reuse.</summary>
    public void Add(string token, AccessToken validated, ClaimsIdentity identity)
    {
        // Only while the key that verified it is still the one trusted under its kid.
        if (!Enabled || token.Length > AccessTokenReader.MaxTokenLength
            || !_keys.Current.TryGet(validated.Header.Kid, out var key) || !ReferenceEquals(key.SecurityKey, validated.SigningKey))
        {
            return;
        }
        var now = _timeProvider.GetUtcNow();
        var expiresAt = validated.Claims.ExpiresAt + _clockSkew;
        var reuseUntil = now + _lifetime < expiresAt ? now + _lifetime : expiresAt;
        if (reuseUntil <= now)
        {
            return;
        }
        var keyLifetime = _keyLifetimes.GetOrAdd(key, _ => new CancellationTokenSource());
        if (!_keys.Current.Holds(key))
        {
            // A refresh dropped the key since the check above; the source just made must not outlive it.
            _keyLifetimes.TryRemove(new KeyValuePair<VerificationKey, CancellationTokenSource>(key, keyLifetime));
            return;
        }
        using var entry = _entries.CreateEntry(token);
        entry.Value = new CachedValidation(validated, identity.Clone(), key, reuseUntil);
        entry.Size = 1;
        // Memory only: the clock that decides reuse is the TimeProvider, checked on every hit.
        entry.AbsoluteExpirationRelativeToNow = reuseUntil - now;
        entry.ExpirationTokens.Add(new CancellationChangeToken(keyLifetime.Token));
    }

    private void EvictKeysNoLongerTrusted(JwksKeySet previous, JwksKeySet current)
    {
        foreach (var key in _keyLifetimes.Keys.Where(key => !current.Holds(key)).ToList())
        {
            // Cancelled, never disposed: an Add racing this may still read its token (a cancelled
            // token adds an entry that is expired at once), and a source without a timer holds nothing.
            if (_keyLifetimes.TryRemove(key, out var lifetime))
            {
                lifetime.Cancel();
            }
        }
    }

    public void Dispose()
    {
        _keys.Changed -= EvictKeysNoLongerTrusted;
        _entries.Dispose();
        foreach (var lifetime in _keyLifetimes.Values)
        {
            lifetime.Dispose();
        }
    }
}
