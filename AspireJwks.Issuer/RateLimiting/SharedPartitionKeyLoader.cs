using AspireJwks.Store.RateLimiting;

namespace AspireJwks.Issuer.RateLimiting;

/// <summary>
/// Fetches the address-partition key the issuer's replicas share from the store, at start and
/// again every few seconds until the store answers; with no store there is nothing to share.
/// </summary>
internal sealed class SharedPartitionKeyLoader(ITokenBuckets buckets, AddressPartitions partitions, TimeProvider timeProvider)
    : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!buckets.IsShared)
        {
            return;
        }
        try
        {
            byte[]? key;
            while ((key = await buckets.SharedPartitionKeyAsync(stoppingToken)) is null)
            {
                await Task.Delay(RetryInterval, timeProvider, stoppingToken);
            }
            partitions.UseSharedKey(key);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
