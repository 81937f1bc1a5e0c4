using System.Net;
using System.Threading.RateLimiting;
using AspireJwks.Auth.RateLimiting;
using Microsoft.Extensions.Options;

namespace AspireJwks.Tests.Unit;

public sealed class TokenRateLimitTests
{
    [Fact]
    public void A_client_over_its_rate_is_refused_with_a_retry_after_while_another_client_is_not()
    {
        using var limiter = new ClientRateLimiter(Options.Create(new TokenRateLimitOptions { TokenRequestsPerSecond = 3 }));

        var leases = Enumerable.Range(0, 3).Select(_ => limiter.Acquire("busy-client")).ToList();
        using var refused = limiter.Acquire("busy-client");
        using var other = limiter.Acquire("quiet-client");

        Assert.All(leases, lease => Assert.True(lease.IsAcquired));
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        Assert.True(other.IsAcquired);
        leases.ForEach(lease => lease.Dispose());
    }

    [Fact]
    public void A_rate_of_zero_turns_the_limit_off()
    {
        using var limiter = new ClientRateLimiter(Options.Create(new TokenRateLimitOptions { TokenRequestsPerSecond = 0 }));

        var leases = Enumerable.Range(0, 1000).Select(_ => limiter.Acquire("benchmark")).ToList();

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
        Assert.Equal(partition, TokenRateLimiting.AddressKey(IPAddress.Parse(address)));
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
