using System.Diagnostics;
using System.Threading.RateLimiting;
using AspireJwks.Protocol;
using AspireJwks.Store.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace AspireJwks.Tests.Store;

/// <summary>
/// Rate-limit buckets in the store, against a real Redis-protocol server: one bucket for a
/// partition whichever replica counts a request, and each replica's own bucket when the store does
/// not answer (availability first), with the request's span saying which counted it.
/// </summary>
public sealed class StoreTokenBucketTests : IDisposable
{
    private static readonly TokenBucketRateLimiterOptions FivePerSecond = new()
    {
        TokenLimit = 5,
        TokensPerPeriod = 5,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private readonly InProcessGarnet _garnet = new();

    public void Dispose() => _garnet.Dispose();

    private RateLimiter NewReplicaBucket(string partition) =>
        _garnet.NewReplica().GetRequiredService<ITokenBuckets>().Create(partition, FivePerSecond);

    [Fact]
    public async Task Two_replicas_draw_from_one_bucket_so_a_burst_gets_the_rate_once()
    {
        using var first = NewReplicaBucket("client:burst");
        using var second = NewReplicaBucket("client:burst");

        var leases = new List<RateLimitLease>();
        for (var request = 0; request < 20; request++)
        {
            leases.Add(await (request % 2 == 0 ? first : second).AcquireAsync(1));
        }

        Assert.Equal(5, leases.Count(lease => lease.IsAcquired));
        var refused = leases.First(lease => !lease.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        leases.ForEach(lease => lease.Dispose());
    }

    [Fact]
    public async Task Partitions_are_separate_buckets()
    {
        using var busy = NewReplicaBucket("client:busy");
        using var quiet = NewReplicaBucket("client:quiet");
        for (var request = 0; request < 5; request++)
        {
            (await busy.AcquireAsync(1)).Dispose();
        }

        using var refused = await busy.AcquireAsync(1);
        using var served = await quiet.AcquireAsync(1);

        Assert.False(refused.IsAcquired);
        Assert.True(served.IsAcquired);
    }

    [Fact]
    public async Task Without_an_answer_from_the_store_each_replica_counts_in_its_own_bucket_and_the_span_says_so()
    {
        using var bucket = NewReplicaBucket("client:outage");
        using (var beforeTheOutage = await bucket.AcquireAsync(1))
        {
            Assert.True(beforeTheOutage.IsAcquired);
        }
        _garnet.Stop();

        using var source = new ActivitySource("StoreTokenBucketTests");
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var request = source.StartActivity("token request")!;
        var leases = new List<RateLimitLease>();
        for (var attempt = 0; attempt < 7; attempt++)
        {
            leases.Add(await bucket.AcquireAsync(1));
        }

        // Issuance goes on, still limited: the local bucket is full, so its five, then refusals.
        Assert.Equal(5, leases.Count(lease => lease.IsAcquired));
        Assert.Equal("memory", request.GetTagItem(TelemetryAttributes.RateLimitStore));
        leases.ForEach(lease => lease.Dispose());
    }
}
