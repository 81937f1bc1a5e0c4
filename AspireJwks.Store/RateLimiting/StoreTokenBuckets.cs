using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;

namespace AspireJwks.Store.RateLimiting;

/// <summary>
/// Buckets in the store, with RedisRateLimiting's token bucket (one Lua script per acquisition,
/// atomic in the store; a well-kept library rather than a script of ours), each backed by a bucket
/// in this process for when the store does not answer.
/// </summary>
internal sealed class StoreTokenBuckets(
    [FromKeyedServices(TokenStoreRegistration.ConnectionName)] IConnectionMultiplexer store,
    StoreOutage outage,
    StoreSpans spans,
    IOptions<StoreOptions> options,
    TimeProvider timeProvider) : ITokenBuckets
{
    public bool IsShared => true;

    public RateLimiter Create(string partition, TokenBucketRateLimiterOptions bucket) =>
        new StoreBackedRateLimiter(
            new RedisTokenBucketRateLimiter<string>($"aspirejwks:{partition}", new RedisTokenBucketRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => store,
                TokenLimit = bucket.TokenLimit,
                TokensPerPeriod = bucket.TokensPerPeriod,
                ReplenishmentPeriod = bucket.ReplenishmentPeriod,
            }),
            new TokenBucketRateLimiter(bucket),
            outage,
            spans,
            options.Value.Timeout,
            timeProvider);

    internal static readonly RedisKey PartitionKeyName = "aspirejwks:address-partition-key";

    /// <summary>The key the first replica writes and every replica reads: one set-if-absent, then a read.</summary>
    public async Task<byte[]?> SharedPartitionKeyAsync(byte[]? offered, CancellationToken cancellationToken)
    {
        try
        {
            var database = store.GetDatabase();
            await database.StringSetAsync(PartitionKeyName, offered ?? RandomNumberGenerator.GetBytes(32), when: When.NotExists)
                .WaitAsync(options.Value.Timeout, timeProvider, cancellationToken);
            var key = (byte[]?)await database.StringGetAsync(PartitionKeyName).WaitAsync(options.Value.Timeout, timeProvider, cancellationToken);
            return key is { Length: 32 } ? key : null;
        }
        catch (Exception ex) when (StoreFailures.IsOutage(ex, cancellationToken))
        {
            outage.Failed(StoreInstrumentation.Operations.RateLimit, ex);
            return null;
        }
    }
}
