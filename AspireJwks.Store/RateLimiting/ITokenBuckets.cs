using System.Threading.RateLimiting;

namespace AspireJwks.Store.RateLimiting;

/// <summary>
/// Makes the token bucket of one rate-limit partition (a client, a group of addresses): in the
/// store, so that every issuer replica draws from the same bucket, or, for a service given no
/// store, in this process.
/// </summary>
internal interface ITokenBuckets
{
    /// <summary>Whether the buckets are in the store every replica shares.</summary>
    bool IsShared { get; }

    /// <param name="partition">Names the bucket in the store; it holds no address or secret.</param>
    /// <param name="bucket">The bucket's shape, as this process would keep it.</param>
    RateLimiter Create(string partition, TokenBucketRateLimiterOptions bucket);

    /// <summary>
    /// The secret that maps addresses to partitions, the same for every replica so that an
    /// address's requests count against one bucket whichever replica they reach; null when this
    /// process keeps its own buckets (any key of its own will do), or while the store does not answer.
    /// </summary>
    /// <param name="offered">
    /// The key this process uses, entered if the store holds none (a store that restarted empty
    /// then gets back the key its replicas already share), or null to offer a new random one.
    /// </param>
    Task<byte[]?> SharedPartitionKeyAsync(byte[]? offered, CancellationToken cancellationToken);
}

/// <summary>The buckets of a service given no store: each process keeps its own.</summary>
internal sealed class ProcessTokenBuckets : ITokenBuckets
{
    public bool IsShared => false;

    public RateLimiter Create(string partition, TokenBucketRateLimiterOptions bucket) => new TokenBucketRateLimiter(bucket);

    public Task<byte[]?> SharedPartitionKeyAsync(byte[]? offered, CancellationToken cancellationToken) => Task.FromResult<byte[]?>(null);
}
