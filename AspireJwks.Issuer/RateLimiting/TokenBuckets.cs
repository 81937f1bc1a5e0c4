using System.Globalization;
using System.Threading.RateLimiting;

namespace AspireJwks.Issuer.RateLimiting;

/// <summary>The limiter shape shared by the per-address and per-client limits.</summary>
internal static class TokenBuckets
{
    /// <summary>
    /// A bucket of one second's worth of requests, refilled once a second: a burst up to the rate
    /// passes, a sustained excess is refused at once until the next refill (no queue, so an
    /// attacker cannot park requests in memory).
    /// </summary>
    public static TokenBucketRateLimiterOptions PerSecond(int requestsPerSecond) => new()
    {
        TokenLimit = requestsPerSecond,
        TokensPerPeriod = requestsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>How long a refused lease says to wait; a second when it does not say.</summary>
    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);

    /// <summary>429 with RFC 9110 10.2.3 Retry-After in whole seconds, at least one.</summary>
    public static void WriteRejection(HttpResponse response, TimeSpan retryAfter)
    {
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
    }
}
