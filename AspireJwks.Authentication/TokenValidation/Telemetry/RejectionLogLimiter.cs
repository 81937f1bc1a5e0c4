using System.Threading.RateLimiting;

namespace AspireJwks.Authentication.TokenValidation.Telemetry;

/// <summary>
/// Bounds the rejection lines a flood of bad tokens can write: a token bucket of lines per second
/// (ASP.NET Core's own limiter), and a count of the lines left out, reported by the next line that
/// passes, so the log says how much it did not say.
/// </summary>
internal sealed class RejectionLogLimiter : IDisposable
{
    /// <summary>Lines per second, and the burst a quiet log can absorb at once.</summary>
    public const int LinesPerSecond = 20;

    private readonly TokenBucketRateLimiter _bucket = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = LinesPerSecond,
        TokensPerPeriod = LinesPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private long _suppressed;

    /// <summary>Lines that may be written now without waiting for the bucket to refill.</summary>
    public long Available => _bucket.GetStatistics()?.CurrentAvailablePermits ?? 0;

    /// <summary>Whether a line may be written now; when it may, <paramref name="suppressedBefore"/> is how many were left out since the last one.</summary>
    public bool TryAcquire(out long suppressedBefore)
    {
        using var lease = _bucket.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            Interlocked.Increment(ref _suppressed);
            suppressedBefore = 0;
            return false;
        }
        suppressedBefore = Interlocked.Exchange(ref _suppressed, 0);
        return true;
    }

    public void Dispose() => _bucket.Dispose();
}
