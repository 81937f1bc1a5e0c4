using System.Net;
using AspireJwks.Issuer.RateLimiting;
using AspireJwks.Store.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AspireJwks.Tests.Store;

/// <summary>
/// The key that maps addresses to rate-limit buckets, shared by every auth replica through a real
/// Garnet: one key for all, and after the store restarts empty, one key for all again.
/// </summary>
public sealed class SharedPartitionKeyTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly InProcessGarnet _garnet = new();

    [Fact]
    public async Task Every_replica_gets_the_key_the_first_one_entered()
    {
        var first = await Buckets().SharedPartitionKeyAsync(offered: null, CancellationToken.None);
        var second = await Buckets().SharedPartitionKeyAsync(offered: null, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_store_that_restarted_empty_gets_back_the_key_a_replica_offers()
    {
        var running = Buckets();
        var shared = await running.SharedPartitionKeyAsync(offered: null, CancellationToken.None);

        _garnet.Stop();
        _garnet.Start();
        var again = await EventuallyAsync(() => running.SharedPartitionKeyAsync(shared, CancellationToken.None));
        var started = await Buckets().SharedPartitionKeyAsync(offered: null, CancellationToken.None);

        Assert.Equal(shared, again);
        Assert.Equal(shared, started);
    }

    [Fact]
    public async Task After_a_restart_a_running_replica_follows_the_key_a_new_replica_entered_and_maps_addresses_as_it_does()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var runningBuckets = Buckets(time);
        using var running = Partitions(runningBuckets);
        using var loader = new SharedPartitionKeyLoader(runningBuckets, running, time);
        await loader.StartAsync(CancellationToken.None);
        await UntilAsync(() => running.SharedKey is not null, time);
        var before = running.SharedKey!;

        _garnet.Stop();
        _garnet.Start();
        // A replica that starts before the running one checks again enters a key of its own.
        var newBuckets = Buckets();
        var newKey = await EventuallyAsync(() => newBuckets.SharedPartitionKeyAsync(offered: null, CancellationToken.None));
        Assert.NotEqual(before, newKey);
        using var started = Partitions(newBuckets);
        started.UseSharedKey(newKey);

        await UntilAsync(() => running.SharedKey is { } key && key.SequenceEqual(newKey), time);
        var addresses = Enumerable.Range(1, 50).Select(i => IPAddress.Parse($"203.0.113.{i}")).ToList();
        Assert.Equal(addresses.Select(started.IndexOf), addresses.Select(running.IndexOf));
        await loader.StopAsync(CancellationToken.None);
    }

    private ITokenBuckets Buckets(TimeProvider? time = null) => _garnet.NewReplica(timeProvider: time).GetRequiredService<ITokenBuckets>();

    private static AddressPartitions Partitions(ITokenBuckets buckets) =>
        new(Options.Create(new TokenRateLimitOptions { TokenRequestsPerSecond = 10 }), buckets);

    /// <summary>Asks until the store, just restarted, answers (its clients reconnect within a second or two).</summary>
    private static async Task<byte[]> EventuallyAsync(Func<Task<byte[]?>> ask)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await ask() is { } key)
            {
                return key;
            }
            Assert.True(DateTime.UtcNow < deadline, "the restarted store did not answer");
            await Task.Delay(100);
        }
    }

    /// <summary>Moves the loader's clock on, half a minute at a time, until the condition holds.</summary>
    private static async Task UntilAsync(Func<bool> condition, FakeTimeProvider time)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the loader did not take the store's key");
            time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(100);
        }
    }

    public void Dispose() => _garnet.Dispose();
}
