using System.Collections.Concurrent;

namespace AspireJwks.Protocol.Replay;

/// <summary>
/// One-time JWTs remembered in this process only: for a service given no store. Replicas do not
/// share it, so a JWT replayed to another replica inside its lifetime is accepted there once
/// (docs/security.md). A process's memory never restarts empty while the process lives.
/// </summary>
internal sealed class MemoryReplayStore(TimeProvider timeProvider) : IReplayStore
{
    private readonly ConcurrentDictionary<OneTimeJwtKind, ReplayCache> _caches = new();

    public ValueTask<ReplayResult> EnterAsync(OneTimeJwt jwt, CancellationToken cancellationToken)
    {
        var cache = _caches.GetOrAdd(jwt.Kind, kind => new ReplayCache(kind.Retention, kind.MemoryCapacity, timeProvider));
        var verdict = cache.TryEnter(jwt.Scope, jwt.Jti) switch
        {
            ReplayCheck.Fresh => ReplayVerdict.Fresh,
            ReplayCheck.Replayed => ReplayVerdict.Replayed,
            _ => ReplayVerdict.Full,
        };
        return ValueTask.FromResult(new ReplayResult(verdict, ReplayStores.Memory));
    }

    /// <summary>The jtis of <paramref name="kind"/> held now (for tests).</summary>
    public int Count(OneTimeJwtKind kind) => _caches.TryGetValue(kind, out var cache) ? cache.Count : 0;
}
