using AspireJwks.Store;
using AspireJwks.Store.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace AspireJwks.Tests.Store;

/// <summary>
/// A Garnet whose log in memory is full drops its oldest records, live or not. The store's keys
/// without an expiry must outlive any number of jtis: rewritten in time, they do; left alone, the
/// same flood drops them (which shows the flood is big enough to matter).
/// </summary>
public sealed class LastingKeysTests : IDisposable
{
    // A 4 MB log in 128 KB pages: some tens of thousands of jti records fill it.
    private readonly InProcessGarnet _garnet = new(memory: "4m", page: "128k");

    [Fact]
    public async Task Keys_without_an_expiry_outlive_a_log_full_of_jtis_when_rewritten_and_are_dropped_when_not()
    {
        var replica = _garnet.NewReplica();
        var keeper = replica.GetServices<IHostedService>().OfType<LastingKeys>().Single();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_garnet.ConnectionString);
        var database = connection.GetDatabase();
        var epoch = StoreEpoch.Begin(DateTimeOffset.UtcNow).ToValue();
        await database.StringSetAsync(StoreEpoch.Key, epoch);
        await database.StringSetAsync(StoreTokenBuckets.PartitionKeyName, "partition-key");
        const string Unkept = "aspirejwks:test:unkept";
        await database.StringSetAsync(Unkept, "written once");

        for (var round = 0; round < 200; round++)
        {
            await FloodAsync(database, count: 2_000);
            await keeper.RewriteAsync(CancellationToken.None);
        }

        Assert.Equal(epoch, await database.StringGetAsync(StoreEpoch.Key));
        Assert.Equal("partition-key", (string?)await database.StringGetAsync(StoreTokenBuckets.PartitionKeyName));
        Assert.False((await database.StringGetAsync(Unkept)).HasValue, "the flood did not fill the log: it proves nothing");
    }

    [Fact]
    public async Task A_key_that_is_gone_is_not_brought_back()
    {
        var keeper = _garnet.NewReplica().GetServices<IHostedService>().OfType<LastingKeys>().Single();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_garnet.ConnectionString);

        await keeper.RewriteAsync(CancellationToken.None);

        Assert.False(await connection.GetDatabase().KeyExistsAsync(StoreEpoch.Key));
    }

    /// <summary>Jtis as the replay check enters them: digest keys with a minute's expiry.</summary>
    private static async Task FloodAsync(IDatabase database, int count)
    {
        var batch = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            batch.Add(database.StringSetAsync($"aspirejwks:jti:dpop:{Guid.NewGuid():N}", 1, TimeSpan.FromMinutes(1), When.NotExists));
        }
        await Task.WhenAll(batch);
    }

    public void Dispose() => _garnet.Dispose();
}
