using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit.Abstractions;

namespace AspireJwks.Tests.Replicas;

/// <summary>
/// Revocation pushed through the store: with two auth and three api replicas that poll the JWKS
/// only every 20 s and cache validated tokens, a revoked key's tokens are refused by every api
/// replica within 2 s of the revocation, under traffic; with the store down, polling still refuses
/// them, within its own bound.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PushedRevocationTests(SlowPollingReplicasFixture fixture, ITestOutputHelper output) : IClassFixture<SlowPollingReplicasFixture>
{
    private static readonly TimeSpan PushedBound = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollingBound = SlowPollingReplicasFixture.RefreshInterval + RotatingAppHost.AuthReload + RotatingAppHost.Slack;

    private RotatingAppHost Run => fixture.Run;

    [Fact]
    public async Task Every_api_replica_refuses_a_revoked_keys_tokens_within_2_seconds_cache_and_all()
    {
        using var stop = new CancellationTokenSource();
        var calls = new ConcurrentQueue<RotationCall>();
        var traffic = Task.Run(() => Run.SendTrafficAsync(calls, stop.Token));

        var elapsed = await RevokeActiveKeyAndTimeRefusalsAsync(PushedBound);
        await stop.CancelAsync();
        await traffic;

        output.WriteLine($"every api replica refused the revoked key {elapsed.TotalMilliseconds:0} ms after the revocation, under {calls.Count} calls of traffic");
        Assert.True(elapsed <= PushedBound, $"the last replica refused it after {elapsed}");
    }

    [Fact]
    public async Task With_the_store_down_every_api_replica_refuses_a_revoked_keys_tokens_within_the_polling_bound()
    {
        var garnet = Assert.Single(LinuxProcesses.ChildrenOf(ServiceProcess.Wrapper(Run.App, "store")));
        ServiceProcess.Kill(garnet);
        try
        {
            var elapsed = await RevokeActiveKeyAndTimeRefusalsAsync(PollingBound);

            output.WriteLine($"without the store, every api replica refused the revoked key after {elapsed.TotalMilliseconds:0} ms (polling every {SlowPollingReplicasFixture.RefreshInterval.TotalSeconds} s)");
            Assert.True(elapsed <= PollingBound, $"the last replica refused it after {elapsed}");
        }
        finally
        {
            await Run.App.ResourceCommands.ExecuteCommandAsync("store", "resource-start").WaitAsync(AppHostFixture.StartTimeout);
            await fixture.WaitUntilEveryServiceReachesTheStoreAsync();
        }
    }

    /// <summary>
    /// A token of the active key, accepted (and so cached) by every api replica; the key revoked;
    /// then how long until the last replica refuses the token, at most <paramref name="bound"/>.
    /// </summary>
    private async Task<TimeSpan> RevokeActiveKeyAndTimeRefusalsAsync(TimeSpan bound)
    {
        var doomed = await Run.GetTokenAsync();
        var kid = new JsonWebToken(doomed).Kid;
        var apis = fixture.ApiInstances.Select(ReplicatedAppHostFixture.Client).ToList();
        foreach (var api in apis)
        {
            using var accepted = await Run.CallApiAsync(doomed, api);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        await Run.RevokeAsync(kid);
        var revoked = Stopwatch.StartNew();
        foreach (var api in apis)
        {
            await Eventually.TrueAsync(async () =>
            {
                using var response = await Run.CallApiAsync(doomed, api);
                return response.StatusCode == HttpStatusCode.Unauthorized;
            }, bound + TimeSpan.FromSeconds(5), "every api replica should refuse the revoked key's token");
        }
        var elapsed = revoked.Elapsed;
        apis.ForEach(api => api.Dispose());
        return elapsed;
    }
}

/// <summary>Two auth and three api replicas that poll the JWKS only every 20 s, with the validated-token cache on (its default).</summary>
public sealed class SlowPollingReplicasFixture : IAsyncLifetime
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(20);

    internal RotatingAppHost Run { get; private set; } = null!;

    public IReadOnlyList<ServiceInstance> ApiInstances { get; private set; } = [];

    public IReadOnlyList<ServiceInstance> AuthInstances { get; private set; } = [];

    /// <summary>Until every auth and api process reports its store connection healthy again (its <c>/health</c> says Healthy, not Degraded).</summary>
    public async Task WaitUntilEveryServiceReachesTheStoreAsync()
    {
        foreach (var instance in AuthInstances.Concat(ApiInstances))
        {
            using var http = ReplicatedAppHostFixture.Client(instance);
            await Eventually.TrueAsync(async () => await http.GetStringAsync(new Uri("/health", UriKind.Relative)) == "Healthy",
                TimeSpan.FromSeconds(30), $"{instance.InstanceId} should reach the store again");
        }
    }

    public async Task InitializeAsync()
    {
        Run = await RotatingAppHost.StartAsync(
        [
            .. ReplicatedAppHostFixture.Arguments,
            $"Parameters:jwks-refresh-interval={RefreshInterval:c}",
            $"Parameters:key-propagation-delay={RefreshInterval:c}",
        ]);
        (AuthInstances, ApiInstances) = await ReplicatedAppHostFixture.WaitForReplicasAsync(Run);
    }

    public async Task DisposeAsync() => await Run.DisposeAsync();
}
