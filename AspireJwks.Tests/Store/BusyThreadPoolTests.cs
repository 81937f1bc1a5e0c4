using AspireJwks.Protocol.DPoP;
using AspireJwks.Protocol.Replay;
using AspireJwks.Store;
using Microsoft.Extensions.DependencyInjection;

namespace AspireJwks.Tests.Store;

/// <summary>
/// The store's timeout bounds the store, not this process. A process just started under a burst
/// of requests has a busy thread pool: a store that answers at once must not be reported as an
/// outage (DPoP requests refused with 503) because this process was late to see the answer. The
/// store runs in a process of its own here, as in the AppHost, so only this process is busy.
/// </summary>
[Collection(BusyThreadPoolCollection.Name)]
public sealed class BusyThreadPoolTests
{
    [Fact]
    public async Task A_store_that_answers_at_once_is_no_outage_while_every_pool_thread_is_busy_for_longer_than_the_timeout()
    {
        using var garnet = await GarnetProcess.StartAsync();
        using var replica = StoreReplica.Build(garnet.ConnectionString);
        var replays = replica.Services.GetRequiredService<IReplayStore>();
        var warmUp = await replays.EnterAsync(Proof("connected"), CancellationToken.None);
        Assert.NotEqual(ReplayVerdict.Unavailable, warmUp.Verdict);

        var timeout = TimeSpan.Parse(StoreReplica.Timeout, System.Globalization.CultureInfo.InvariantCulture);
        using var release = new ManualResetEventSlim();
        // Every pool thread blocked, and more blocked work queued behind for the threads the pool adds.
        for (var i = 0; i < ThreadPool.ThreadCount + 64; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static gate => gate.Wait(), release, preferLocal: false);
        }
        // Released from a thread of its own: nothing on the pool runs before that.
        var releaser = new Thread(() =>
        {
            // Three timeouts: longer than one, within the most a busy process waits (RedisReplayStore.MaximumWaits).
            Thread.Sleep(timeout * 3);
            release.Set();
        }) { IsBackground = true };
        releaser.Start();

        var result = await replays.EnterAsync(Proof("checked-while-busy"), CancellationToken.None);
        releaser.Join();

        // Fresh, or a nonce asked for because the store's life has just begun: either way, it answered.
        Assert.NotEqual(ReplayVerdict.Unavailable, result.Verdict);
        Assert.Equal(ReplayStores.Store, result.Store);
        Assert.Equal(ReplayVerdict.Replayed, (await replays.EnterAsync(Proof("checked-while-busy"), CancellationToken.None)).Verdict);
    }

    private static OneTimeJwt Proof(string jti) =>
        new(DPoPProtocol.ProofKind, "key-thumbprint", jti, DateTimeOffset.UtcNow);
}

/// <summary>Alone, after the others: blocking the thread pool would slow every test running beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BusyThreadPoolCollection
{
    public const string Name = "BusyThreadPool";
}
