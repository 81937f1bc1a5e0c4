using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.RateLimiting;

/// <summary>
/// The per-client limit on <c>/token</c>. Counted after the client has authenticated, so that
/// someone who merely knows a client id cannot use up that client's allowance; unauthenticated
/// guessing is bounded by the per-address limit in front of the endpoint.
/// </summary>
internal sealed class ClientRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public ClientRateLimiter(IOptions<TokenRateLimitOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(clientId => settings.Enabled
            ? RateLimitPartition.GetTokenBucketLimiter(clientId, _ => TokenBuckets.PerSecond(settings.TokenRequestsPerSecond!.Value))
            : RateLimitPartition.GetNoLimiter(clientId));
    }

    /// <summary>A lease to dispose after the request; not acquired when the client is over its limit.</summary>
    public RateLimitLease Acquire(string clientId) => _limiter.AttemptAcquire(clientId);

    public void Dispose() => _limiter.Dispose();
}
