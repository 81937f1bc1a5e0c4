using AspireJwks.Store.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireJwks.Store;

/// <summary>
/// Keeps the store's keys without an expiry (<see cref="StoreEpoch.Key"/> and the address-partition
/// key) from being dropped by a store that is a log in memory. Garnet without a storage tier, as
/// the AppHost runs it, drops its oldest records when its log is full, live or not, so a key
/// written once would be lost after some millions of jtis: a lost epoch reads as a restart (safe,
/// but every client is asked for a nonce once more), a lost partition key as a new one. Rewriting
/// each key with its own value every few seconds moves it to the log's tail before the log can
/// reach it (a record is moved once it leaves the log's mutable part, the newest 90 %). Harmless
/// on a Redis, which never drops a key without an expiry under <c>noeviction</c>.
/// </summary>
internal sealed class LastingKeys(
    [FromKeyedServices(TokenStoreRegistration.ConnectionName)] IConnectionMultiplexer store,
    IOptions<StoreOptions> options,
    TimeProvider timeProvider) : BackgroundService
{
    /// <summary>
    /// At this interval, the log would have to take in a tenth of its size within 5 s to reach a key
    /// first: about 800,000 jtis of 64 bytes in the AppHost's 512 MB, 160,000 a second.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static readonly RedisKey[] Keys = [StoreEpoch.Key, StoreTokenBuckets.PartitionKeyName];

    // Atomic in the store: a key that is gone (a restarted store) stays gone, never brought back.
    private const string Rewrite = "local value = redis.call('GET', KEYS[1]) if value then redis.call('SET', KEYS[1], value) end return 0";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, timeProvider, stoppingToken);
                await RewriteAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Rewrites each lasting key that exists; a store that does not answer is left for the next round.</summary>
    internal async Task RewriteAsync(CancellationToken cancellationToken)
    {
        var database = store.GetDatabase();
        // One script per key: the keys may live on different shards of a cluster.
        foreach (var key in Keys)
        {
            try
            {
                await database.ScriptEvaluateAsync(Rewrite, [key]).WaitAsync(options.Value.Timeout, timeProvider, cancellationToken);
            }
            catch (Exception ex) when (StoreFailures.IsOutage(ex, cancellationToken))
            {
                // The replay checks notice and report an outage; this is housekeeping.
            }
        }
    }
}
