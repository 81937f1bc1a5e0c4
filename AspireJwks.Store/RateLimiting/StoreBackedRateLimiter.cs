using System.Diagnostics;
using System.Threading.RateLimiting;
using AspireJwks.Protocol;
using AspireJwks.Protocol.Replay;
using RedisRateLimiting;
using StackExchange.Redis;

namespace AspireJwks.Store.RateLimiting;

/// <summary>
/// A bucket in the store, with this process's own bucket behind it: availability first, so a store
/// that does not answer within the timeout never stops issuance; the request is counted against the
/// local bucket instead, the outage is logged (once per interval) and the request's span says which
/// bucket counted it (<c>aspirejwks.rate_limit.store</c>: <c>store</c> or <c>memory</c>).
/// </summary>
internal sealed class StoreBackedRateLimiter(
    RateLimiter shared, RateLimiter local, StoreOutage outage, StoreSpans spans, TimeSpan timeout, TimeProvider timeProvider) : RateLimiter
{
    private static readonly RateLimitLease NotYet = new Deferred();

    public override TimeSpan? IdleDuration =>
        shared.IdleDuration is { } sharedIdle && local.IdleDuration is { } localIdle
            ? (sharedIdle < localIdle ? sharedIdle : localIdle)
            : null;

    public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

    /// <summary>
    /// The store is only asked asynchronously: an unacquired lease here sends ASP.NET Core's rate
    /// limiting middleware on to <see cref="AcquireAsyncCore"/> (no blocking network call on a request thread).
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => NotYet;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var request = Activity.Current;
        // RedisRateLimiting runs its token bucket as one script.
        using var span = spans.Start("EVALSHA", StoreInstrumentation.Operations.RateLimit);
        try
        {
            var lease = await shared.AcquireAsync(permitCount, cancellationToken).AsTask().WaitAsync(timeout, timeProvider, cancellationToken);
            outage.Answered();
            request?.SetTag(TelemetryAttributes.RateLimitStore, ReplayStores.Store);
            return lease.IsAcquired ? lease : new Refused(lease);
        }
        catch (Exception ex) when (StoreFailures.IsOutage(ex, cancellationToken))
        {
            StoreSpans.Failed(span, ex);
            outage.Failed(StoreInstrumentation.Operations.RateLimit, ex);
            request?.SetTag(TelemetryAttributes.RateLimitStore, ReplayStores.Memory);
            return local.AttemptAcquire(permitCount);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            shared.Dispose();
            local.Dispose();
        }
        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await shared.DisposeAsync();
        await local.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    /// <summary>A refusal from the store, saying when to retry the way .NET's own limiters say it.</summary>
    private sealed class Refused(RateLimitLease lease) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name && lease.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : null;
            return metadata is not null;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                lease.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    private sealed class Deferred : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
