using System.Diagnostics;
using AspireJwks.Protocol.Jwks;
using Microsoft.Extensions.Options;

namespace AspireJwks.Authentication.TokenValidation.Jwks;

/// <summary>
/// The keys the API trusts, as <see cref="JwksRefreshService"/> last fetched them. Requests read
/// them from memory and never wait on the issuer, except the very first ones, which may wait a
/// moment for the first fetch. Written instead of JwtBearer's stock ConfigurationManager because
/// that one refreshes at most every 5 minutes, keeps a "last known good" configuration for an hour
/// (which would bring a revoked key back) and cannot resolve a service-discovery address. When the
/// issuer announces a key change on the store, a key it no longer publishes stops validating at
/// once, and a refresh follows at once.
/// </summary>
internal sealed class JwksKeySource(IOptions<TokenValidationOptions> options, TimeProvider timeProvider) : IDisposable
{
    // How long the first requests may wait for the first fetch before they are answered 401.
    private static readonly TimeSpan FirstFetchWait = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _refreshInterval = options.Value.JwksRefreshInterval!.Value;
    private readonly TaskCompletionSource _firstKeys = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _refreshRequested = new(0, 1);
    private readonly Lock _requestGate = new();
    private volatile JwksKeySet _current = JwksKeySet.Empty;
    private DateTimeOffset _lastRequestedRefresh = DateTimeOffset.MinValue;
    private ActivityContext? _requestedBy;

    // Kids the issuer announced it no longer publishes. A kid is a key's thumbprint and a revoked key
    // never returns to the store, so none of these is trusted again, even from a JWKS fetched from a
    // replica that has not reloaded yet. Bounded: the oldest go first.
    private const int WithdrawnCapacity = 256;
    private readonly Lock _withdrawnGate = new();
    private readonly HashSet<string> _withdrawn = new(StringComparer.Ordinal);
    private readonly Queue<string> _withdrawnOrder = new();

    public JwksKeySet Current => _current;

    /// <summary>Raised with the previous and the new set when a refresh changed which keys are trusted.</summary>
    public event Action<JwksKeySet, JwksKeySet>? Changed;

    public TimeSpan RefreshInterval => _refreshInterval;

    /// <summary>The trusted keys; before any fetch succeeded, waits (bounded) for the first one.</summary>
    public async ValueTask<JwksKeySet> GetAsync(CancellationToken cancellationToken)
    {
        if (_firstKeys.Task.IsCompleted)
        {
            return _current;
        }
        try
        {
            await _firstKeys.Task.WaitAsync(FirstFetchWait, timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            // No keys yet: every token fails validation (401), the safe answer.
        }
        return _current;
    }

    /// <summary>
    /// Asked for when a token names a kid the API does not know. Honoured at most once per refresh
    /// interval, counted from the last honoured request rather than from the last timed fetch
    /// (which would make it a no-op), so a flood of random kids costs one extra fetch per
    /// interval, not one per request.
    /// </summary>
    public void RequestRefresh()
    {
        lock (_requestGate)
        {
            var now = timeProvider.GetUtcNow();
            if (now - _lastRequestedRefresh < _refreshInterval)
            {
                return;
            }
            _lastRequestedRefresh = now;
            _requestedBy = Activity.Current?.Context;
        }
        try
        {
            _refreshRequested.Release();
        }
        catch (SemaphoreFullException)
        {
            // A fetch is already due; it serves this request too.
        }
    }

    /// <summary>
    /// The issuer announced the kids it publishes now. A trusted key it no longer names stops
    /// validating now (and the validated-token cache drops what it verified); a refresh follows at
    /// once, whatever the unknown-kid throttle, to learn of keys it added.
    /// </summary>
    internal void Announced(IReadOnlyList<string> publishedKids)
    {
        var current = _current;
        var published = publishedKids.ToHashSet(StringComparer.Ordinal);
        var withdrawn = current.Kids.Where(kid => !published.Contains(kid)).ToHashSet(StringComparer.Ordinal);
        if (withdrawn.Count > 0)
        {
            lock (_withdrawnGate)
            {
                foreach (var kid in withdrawn.Where(_withdrawn.Add))
                {
                    _withdrawnOrder.Enqueue(kid);
                    if (_withdrawnOrder.Count > WithdrawnCapacity)
                    {
                        _withdrawn.Remove(_withdrawnOrder.Dequeue());
                    }
                }
            }
            Publish(current);
        }
        try
        {
            _refreshRequested.Release();
        }
        catch (SemaphoreFullException)
        {
            // A fetch is already due and has not started: it sees the change too.
        }
    }

    /// <summary>Completes when the refresh interval has passed or a refresh was requested.</summary>
    internal async Task WaitForNextRefreshAsync(CancellationToken cancellationToken) =>
        await _refreshRequested.WaitAsync(_refreshInterval, cancellationToken);

    /// <summary>The request that asked for the coming fetch, to link its span to; taken once.</summary>
    internal ActivityLink[]? TakeRefreshRequester()
    {
        lock (_requestGate)
        {
            var requester = _requestedBy;
            _requestedBy = null;
            return requester is { } context ? [new ActivityLink(context)] : null;
        }
    }

    /// <summary>Makes <paramref name="keys"/> the trusted set; keys it no longer holds stop validating at once.</summary>
    /// <returns>Whether the trusted keys changed.</returns>
    internal bool Publish(JwksKeySet keys)
    {
        // A fetch and an announcement may publish at the same moment; one after the other, neither is lost.
        lock (_withdrawnGate)
        {
            keys = keys.Without(_withdrawn);
            var previous = _current;
            _current = keys;
            _firstKeys.TrySetResult();
            var changed = previous.Count != keys.Count || previous.Kids.Any(kid => previous.TryGet(kid, out var key) && !keys.Holds(key));
            if (changed)
            {
                Changed?.Invoke(previous, keys);
            }
            return changed;
        }
    }

    public void Dispose() => _refreshRequested.Dispose();
}
