using System.Threading.RateLimiting;
using AspireJwks.Store.RateLimiting;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.RateLimiting;

/// <summary>
/// The per-client limit on <c>/token</c>. Counted after the client has authenticated, so that
/// someone who merely knows a client id cannot use up that client's allowance; unauthenticated
/// guessing is bounded by the per-address limit in front of the endpoint. Each client's bucket is
/// in the store every replica shares, so the rate holds for the cluster (<see cref="ITokenBuckets"/>).
/// </summary>
internal sealed class ClientRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public ClientRateLimiter(IOptions<TokenRateLimitOptions> options, ITokenBuckets buckets)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(clientId => settings.Enabled
            ? RateLimitPartition.Get(clientId, id => buckets.Create($"client:{id}", TokenBuckets.PerSecond(settings.TokenRequestsPerSecond!.Value)))
            : RateLimitPartition.GetNoLimiter(clientId));
    }

    /// <summary>A lease to dispose after the request; not acquired when the client is over its limit.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(string clientId, CancellationToken cancellationToken) =>
        _limiter.AcquireAsync(clientId, cancellationToken: cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
