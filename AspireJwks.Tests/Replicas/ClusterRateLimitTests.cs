using System.Diagnostics;
using System.Net;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;
using Xunit.Abstractions;

namespace AspireJwks.Tests.Replicas;

/// <summary>
/// <c>token-rate-limit</c> holds for the cluster: with a rate of 10 and two auth replicas, a client
/// that sends as fast as it can to both gets about 10 tokens a second in all, not 20, because both
/// replicas count in the same buckets in the store.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ClusterRateLimitTests(ClusterRateLimitFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterRateLimitFixture>
{
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_client_flooding_two_auth_replicas_gets_the_rate_once_not_once_per_replica()
    {
        var replicas = fixture.AuthInstances.Select(ReplicatedAppHostFixture.Client).ToList();
        var issued = 0;
        var refused = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, 8), async (worker, _) =>
        {
            while (clock.Elapsed < Load)
            {
                using var response = await fixture.RequestTokenAsync(replicas[worker % replicas.Count]);
                Interlocked.Increment(ref response.StatusCode == HttpStatusCode.OK ? ref issued : ref refused);
                Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests });
            }
        });
        var seconds = clock.Elapsed.TotalSeconds;
        replicas.ForEach(replica => replica.Dispose());

        output.WriteLine($"{issued} tokens and {refused} refusals in {seconds:0.0} s over {fixture.AuthInstances.Count} auth replicas at a rate of {ClusterRateLimitFixture.Rate}");
        Assert.True(refused > 0, "the load should exceed the rate");
        // One bucket for the cluster: a second's burst at the start and the rate for each second
        // after (less what the demo client's own requests took); a bucket per replica would give twice that.
        Assert.InRange(issued, (ClusterRateLimitFixture.Rate * (int)Math.Floor(seconds)) - (ClusterRateLimitFixture.Rate / 2),
            ClusterRateLimitFixture.Rate * ((int)Math.Ceiling(seconds) + 1));
    }
}

/// <summary>Two auth replicas and one api, with a token rate of 10 a second.</summary>
public sealed class ClusterRateLimitFixture : IAsyncLifetime
{
    public const int Rate = 10;

    private readonly TemporaryDirectory _directory = new();
    private readonly string _secret = Convert.ToHexString(Guid.NewGuid().ToByteArray());
    private StartedAppHost? _host;

    public IReadOnlyList<ServiceInstance> AuthInstances { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _host = await AppHostFixture.StartAsync(_directory.Combine("keys"), AppHostFixture.ClientId, _secret,
            ["Parameters:auth-replicas=2", $"Parameters:token-rate-limit={Rate}"]);
        await _host.App.ResourceNotifications.WaitForResourceHealthyAsync("api").WaitAsync(AppHostFixture.StartTimeout);
        await Eventually.TrueAsync(() => ServiceProcess.Instances(_host.Logs, "auth").Count == 2, TimeSpan.FromMinutes(2), "two auth processes should run");
        AuthInstances = ServiceProcess.Instances(_host.Logs, "auth");
        // Let the limits of the demo client's start-up requests go by.
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    public Task<HttpResponseMessage> RequestTokenAsync(HttpClient auth)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = AppHostFixture.BasicCredentials(AppHostFixture.ClientId, _secret);
        return auth.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _directory.Dispose();
    }
}
