using AspireJwks.Store.RateLimiting;

namespace AspireJwks.Issuer.RateLimiting;

/// <summary>
/// Keeps the address-partition key the issuer's replicas share: fetched from the store at start,
/// again every few seconds until the store answers, then checked every half minute. A store that
/// restarted empty gets the shared key back from the first replica that checks; a replica that
/// started meanwhile and entered a key of its own is followed by the others within one check, so
/// the replicas count an address in the same bucket again. With no store there is nothing to share.
/// </summary>
internal sealed class SharedPartitionKeyLoader(ITokenBuckets buckets, AddressPartitions partitions, TimeProvider timeProvider)
    : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!buckets.IsShared)
        {
            return;
        }
        try
        {
            while (true)
            {
                var key = await buckets.SharedPartitionKeyAsync(partitions.SharedKey, stoppingToken);
                if (key is not null)
                {
                    partitions.UseSharedKey(key);
                }
                await Task.Delay(key is null ? RetryInterval : CheckInterval, timeProvider, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
