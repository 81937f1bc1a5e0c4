using System.Net;
using System.Threading.RateLimiting;
using AspireJwks.Issuer.RateLimiting;
using AspireJwks.Store.RateLimiting;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Options;

namespace AspireJwks.Tests.Unit;

public sealed class TokenRateLimitTests
{
    // This process's own buckets; the store's are tested against a real store (Store/StoreTokenBucketTests).
    private static readonly ProcessTokenBuckets Buckets = new();

    private static RateLimitLease Acquire(ClientRateLimiter limiter, string clientId)
    {
        return Synchronously.Result(limiter.AcquireAsync(clientId, CancellationToken.None));
    }

    [Fact]
    public void A_client_over_its_rate_is_refused_with_a_retry_after_while_another_client_is_not()
    {
        using var limiter = new ClientRateLimiter(Options.Create(new TokenRateLimitOptions { TokenRequestsPerSecond = 3 }), Buckets);

        AssertThirdIsTheLastServed(() => Acquire(limiter, "busy-client"), () => Acquire(limiter, "quiet-client"));
    }

    [Fact]
    public void A_rate_of_zero_turns_the_limit_off()
    {
        using var limiter = new ClientRateLimiter(Options.Create(new TokenRateLimitOptions { TokenRequestsPerSecond = 0 }), Buckets);

        var leases = Enumerable.Range(0, 1000).Select(_ => Acquire(limiter, "benchmark")).ToList();

        Assert.All(leases, lease => Assert.True(lease.IsAcquired));
        leases.ForEach(lease => lease.Dispose());
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Addresses_are_partitioned_per_ipv4_address_and_per_ipv6_64(string address, string partition)
    {
        Assert.Equal(partition, AddressPartitions.AddressKey(IPAddress.Parse(address)));
    }

    [Fact]
    public void A_flood_of_distinct_addresses_creates_at_most_the_fixed_number_of_partitions()
    {
        using var partitions = new AddressPartitions(Options.Create(new TokenRateLimitOptions { TokenRequestsPerSecond = 3 }), Buckets);
        var created = 0;
        using var limiter = PartitionedRateLimiter.Create<IPAddress, int>(address =>
        {
            var partition = partitions.For(address);
            return RateLimitPartition.Get(partition.PartitionKey, key =>
            {
                Interlocked.Increment(ref created);
                return partition.Factory(key);
            });
        });

        // Every /64 of an IPv6 /48, and as many IPv4 addresses: 131,072 distinct keys.
        var flood = Enumerable.Range(0, 65_536)
            .SelectMany(i => new[] { IPAddress.Parse($"2001:db8:1:{i:x}::1"), new IPAddress([10, 7, (byte)(i >> 8), (byte)i]) });
        foreach (var address in flood)
        {
            limiter.AttemptAcquire(address).Dispose();
        }

        Assert.Equal(AddressPartitions.Count, created);
        // One address over its rate is still refused, with a Retry-After.
        var target = IPAddress.Parse("198.51.100.7");
        var leases = Enumerable.Range(0, 4).Select(_ => limiter.AttemptAcquire(target)).ToList();
        Assert.False(leases[^1].IsAcquired);
        Assert.True(leases[^1].TryGetMetadata(MetadataName.RetryAfter, out _));
        leases.ForEach(lease => lease.Dispose());
    }

    [Fact]
    public void An_address_over_its_rate_is_refused_with_a_retry_after_while_an_address_of_another_partition_is_not()
    {
        using var partitions = new AddressPartitions(Options.Create(new TokenRateLimitOptions { TokenRequestsPerSecond = 3 }), Buckets);
        using var limiter = PartitionedRateLimiter.Create<IPAddress, int>(partitions.For);
        var busy = IPAddress.Parse("203.0.113.9");
        var quiet = Enumerable.Range(1, 100).Select(i => IPAddress.Parse($"192.0.2.{i}"))
            .First(address => partitions.IndexOf(address) != partitions.IndexOf(busy));

        AssertThirdIsTheLastServed(() => limiter.AttemptAcquire(busy), () => limiter.AttemptAcquire(quiet));
    }

    [Fact]
    public void The_partition_of_an_address_is_stable_across_threads_and_keyed_per_process()
    {
        var settings = Options.Create(new TokenRateLimitOptions { TokenRequestsPerSecond = 3 });
        using var first = new AddressPartitions(settings, Buckets);
        using var second = new AddressPartitions(settings, Buckets);
        var addresses = Enumerable.Range(1, 64).Select(i => IPAddress.Parse($"192.0.2.{i}")).ToList();

        var sequential = addresses.Select(first.IndexOf).ToList();
        var concurrent = new int[64 * addresses.Count];
        Parallel.For(0, concurrent.Length, i => concurrent[i] = first.IndexOf(addresses[i % addresses.Count]));
        Assert.Equal(Enumerable.Range(0, concurrent.Length).Select(i => sequential[i % addresses.Count]), concurrent);
        // A different random key places the same addresses elsewhere: nobody outside the process
        // can pick addresses that share a given address's bucket.
        Assert.NotEqual(addresses.Select(first.IndexOf), addresses.Select(second.IndexOf));
        // The whole /64 is one address, in whichever partition.
        Assert.Equal(first.IndexOf(IPAddress.Parse("2001:db8::1")), first.IndexOf(IPAddress.Parse("2001:db8::ffff:1")));
    }

    [Fact]
    public void A_rate_of_zero_turns_the_address_limit_off()
    {
        using var partitions = new AddressPartitions(Options.Create(new TokenRateLimitOptions { TokenRequestsPerSecond = 0 }), Buckets);
        using var limiter = PartitionedRateLimiter.Create<IPAddress, int>(partitions.For);

        var leases = Enumerable.Range(0, 1000).Select(_ => limiter.AttemptAcquire(IPAddress.Loopback)).ToList();

        Assert.All(leases, lease => Assert.True(lease.IsAcquired));
        leases.ForEach(lease => lease.Dispose());
    }

    /// <summary>At a rate of 3, the busy caller's fourth request is refused with a Retry-After; another caller is still served.</summary>
    private static void AssertThirdIsTheLastServed(Func<RateLimitLease> busy, Func<RateLimitLease> quiet)
    {
        var leases = Enumerable.Range(0, 3).Select(_ => busy()).ToList();
        using var refused = busy();
        using var other = quiet();

        Assert.All(leases, lease => Assert.True(lease.IsAcquired));
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        Assert.True(other.IsAcquired);
        leases.ForEach(lease => lease.Dispose());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2_000_000)]
    public void Out_of_range_rates_fail_validation(int rate)
    {
        var result = new TokenRateLimitOptionsValidator().Validate(null, new TokenRateLimitOptions { TokenRequestsPerSecond = rate });

        Assert.True(result.Failed);
    }
}
