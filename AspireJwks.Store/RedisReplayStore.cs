using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AspireJwks.Protocol.Replay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireJwks.Store;

/// <summary>
/// One-time JWTs entered in the store every replica shares: one <c>SET key 1 NX PX retention</c>,
/// atomic in the store, so of any number of concurrent uses of a jti exactly one gets <c>OK</c>,
/// whichever replica each reaches (Keycloak's <c>putIfAbsent</c>; never Exists-then-Add, which lets
/// two concurrent uses both pass). The same round trip reads the store's <see cref="StoreEpoch"/>:
/// commands on one connection run in order on one life of the store, so the answer to the SET and
/// the epoch describe the same data. No answer within the timeout is <see cref="ReplayVerdict.Unavailable"/>:
/// the caller refuses the request, it never lets it through.
/// </summary>
internal sealed class RedisReplayStore(
    [FromKeyedServices(TokenStoreRegistration.ConnectionName)] IConnectionMultiplexer store,
    StoreOutage outage,
    StoreSpans spans,
    IOptions<StoreOptions> options,
    TimeProvider timeProvider) : IReplayStore
{
    /// <summary>How many timeouts a check waits at most, in a process too busy to read the answer (AnsweredInTimeAsync).</summary>
    internal const int MaximumWaits = 4;

    private readonly TimeSpan _timeout = options.Value.Timeout;

    public async ValueTask<ReplayResult> EnterAsync(OneTimeJwt jwt, CancellationToken cancellationToken)
    {
        var database = store.GetDatabase();
        bool entered;
        StoreEpoch epoch;
        using var span = spans.Start("SET", StoreInstrumentation.Operations.Replay);
        try
        {
            var reading = database.StringGetAsync(StoreEpoch.Key);
            var entering = database.StringSetAsync(Key(jwt), 1, jwt.Kind.Retention, When.NotExists);
            await AnsweredInTimeAsync(reading, entering, cancellationToken);
            entered = entering.Result;
            epoch = await StoreEpoch.CurrentAsync(database, reading.Result, timeProvider).WaitAsync(_timeout, timeProvider, cancellationToken);
        }
        catch (Exception ex) when (StoreFailures.IsOutage(ex, cancellationToken))
        {
            StoreSpans.Failed(span, ex);
            outage.Failed(StoreInstrumentation.Operations.Replay, ex);
            return new ReplayResult(ReplayVerdict.Unavailable, ReplayStores.Store);
        }
        outage.Answered();
        var verdict = Judge(jwt, entered, epoch, timeProvider.GetUtcNow());
        return new ReplayResult(verdict, ReplayStores.Store, verdict == ReplayVerdict.NonceRequired ? epoch.Id : null);
    }

    /// <summary>
    /// Waits for both answers for at most the timeout, which bounds the store, not this process.
    /// On Linux every socket completion, the store's answers included, runs on the .NET thread
    /// pool: when a burst of requests keeps the pool busy (a process just started under load), an
    /// answer long since on the wire waits to be read, and the timer that ends the wait may run
    /// first once the pool frees up. So a timeout counts only when this process was not busy
    /// during the wait: its pool had no backlog when the wait began and when it ended, and its
    /// timer fired on time. Otherwise the store gets another timeout, up to
    /// <see cref="MaximumWaits"/> in all, and a store that answers is not reported as down, nor
    /// DPoP requests refused, for this process's own delay (BusyThreadPoolTests). Only the replay
    /// check waits this way, as only it refuses a request when the store is silent; the store's
    /// other waits keep one timeout and fall back (a process's own bucket, polling, Degraded).
    /// </summary>
    private async Task AnsweredInTimeAsync(Task<RedisValue> reading, Task<bool> entering, CancellationToken cancellationToken)
    {
        var answers = Task.WhenAll(reading, entering);
        // The first wait begins on the request's own path, where the pool is not measured; each
        // later one begins when the one before it ended.
        var backloggedBefore = false;
        for (var wait = 1; ; wait++)
        {
            var started = timeProvider.GetTimestamp();
            try
            {
                await answers.WaitAsync(_timeout, timeProvider, cancellationToken);
                return;
            }
            catch (TimeoutException) when (wait < MaximumWaits)
            {
                var backlogged = PoolIsBacklogged();
                var late = timeProvider.GetElapsedTime(started) > _timeout * 1.25;
                if (!backloggedBefore && !backlogged && !late)
                {
                    throw;
                }
                backloggedBefore = backlogged;
            }
        }
    }

    private static bool PoolIsBacklogged() => ThreadPool.PendingWorkItemCount > ThreadPool.ThreadCount;

    /// <summary>
    /// A replay first. Then, while a JWT made before the store's restart could still be accepted,
    /// one that may be that old: refused, or for a kind with nonces, accepted only with the epoch's
    /// id as its nonce, which nothing made before the restart can carry.
    /// </summary>
    internal static ReplayVerdict Judge(OneTimeJwt jwt, bool entered, StoreEpoch epoch, DateTimeOffset now)
    {
        if (!entered)
        {
            return ReplayVerdict.Replayed;
        }
        if (now >= epoch.Since + jwt.Kind.Retention)
        {
            return ReplayVerdict.Fresh;
        }
        if (jwt.Kind.NonceWindow is { } window)
        {
            return jwt.IssuedAt <= epoch.Since + window && jwt.Nonce != epoch.Id ? ReplayVerdict.NonceRequired : ReplayVerdict.Fresh;
        }
        return jwt.IssuedAt <= epoch.Since ? ReplayVerdict.PredatesStore : ReplayVerdict.Fresh;
    }

    /// <summary>
    /// <c>aspirejwks:jti:&lt;kind&gt;:&lt;digest&gt;</c>: 128 bits of SHA-256 over the scope and the
    /// jti, so the key holds nothing a reader of the store could use and has a fixed length,
    /// however long the jti an attacker sends.
    /// </summary>
    internal static RedisKey Key(OneTimeJwt jwt)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{jwt.Scope}\n{jwt.Jti}"), hash);
        return $"aspirejwks:jti:{jwt.Kind.Name}:{Base64Url.EncodeToString(hash[..16])}";
    }
}
