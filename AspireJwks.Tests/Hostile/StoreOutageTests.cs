using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// The store killed, and paused, under traffic, from the real AppHost: Bearer requests go on without
/// a failure, DPoP requests and client assertions get 503 with Retry-After (no other 5xx, no
/// replay let through), and within seconds of the store's return everything succeeds again, while
/// a proof made before a restart cannot be used after it. Paused for 30 s, the API piles up
/// neither threads nor connections.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class StoreOutageTests(StoreOutageFixture fixture) : IClassFixture<StoreOutageFixture>
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(10);

    private RotatingAppHost Run => fixture.Run;

    [Fact]
    public async Task A_killed_store_stops_only_replay_checked_requests_with_503_and_a_restarted_one_refuses_proofs_made_before()
    {
        var traffic = await StartTrafficAsync();
        var beforeRestart = traffic.DPoPProof();
        using (var used = await traffic.CallWithProofAsync(beforeRestart))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        ServiceProcess.Kill(GarnetProcess());
        await Task.Delay(TimeSpan.FromSeconds(4));
        var duringOutage = await traffic.DuringAsync(TimeSpan.FromSeconds(3));
        await Run.App.ResourceCommands.ExecuteCommandAsync("store", "resource-start").WaitAsync(AppHostFixture.StartTimeout);
        var recovered = await traffic.UntilEverythingSucceedsAsync(Recovery);
        await traffic.StopAsync();

        duringOutage.AssertOnlyReplayCheckedRequestsRefusedWith503();
        Assert.True(recovered, "DPoP requests and assertions should succeed again within seconds of the store's return");
        // The restarted store does not know the proof's jti; the restart rule refuses it all the same.
        using var replayed = await traffic.CallWithProofAsync(beforeRestart);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        traffic.AssertNothingElseFailed();
    }

    [Fact]
    public async Task A_store_paused_for_30_seconds_answers_replay_checked_requests_503_and_piles_up_nothing()
    {
        var traffic = await StartTrafficAsync();
        var api = ServiceProcess.Find(Run.App, "api");
        var threadsBefore = LinuxProcesses.ThreadCount(api);
        var garnet = GarnetProcess();

        ServiceProcess.Pause(garnet);
        OutageWindow duringPause;
        int threadsDuring;
        int connectionsDuring;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            duringPause = await traffic.DuringAsync(TimeSpan.FromSeconds(26));
            threadsDuring = LinuxProcesses.ThreadCount(api);
            connectionsDuring = LinuxProcesses.ConnectionsTo(api, fixture.StorePort);
        }
        finally
        {
            ServiceProcess.Resume(garnet);
        }
        var recovered = await traffic.UntilEverythingSucceedsAsync(Recovery);
        await traffic.StopAsync();

        duringPause.AssertOnlyReplayCheckedRequestsRefusedWith503();
        Assert.True(recovered, "DPoP requests and assertions should succeed again within seconds of the store's return");
        Assert.InRange(threadsDuring, 1, threadsBefore + 20);
        Assert.InRange(connectionsDuring, 0, 4);
        traffic.AssertNothingElseFailed();
    }

    /// <summary>The listening Garnet server under the store resource's <c>dotnet tool exec</c>.</summary>
    private int GarnetProcess() =>
        Assert.Single(LinuxProcesses.ChildrenOf(ServiceProcess.Wrapper(Run.App, "store")));

    private async Task<Traffic> StartTrafficAsync()
    {
        var traffic = new Traffic(Run);
        await traffic.StartAsync();
        return traffic;
    }

    /// <summary>What the requests of one window got: replay-checked ones and Bearer ones, by status.</summary>
    private sealed record OutageWindow(IReadOnlyList<(string Kind, HttpStatusCode Status, string? RetryAfter)> Responses)
    {
        public void AssertOnlyReplayCheckedRequestsRefusedWith503()
        {
            var bearer = Responses.Where(response => response.Kind == Traffic.Bearer).ToList();
            var checkedOnes = Responses.Where(response => response.Kind != Traffic.Bearer).ToList();
            Assert.NotEmpty(bearer);
            Assert.NotEmpty(checkedOnes);
            Assert.All(bearer, response => Assert.Equal(HttpStatusCode.OK, response.Status));
            Assert.All(checkedOnes, response =>
            {
                Assert.True(response.Status == HttpStatusCode.ServiceUnavailable, $"a {response.Kind} request answered {(int)response.Status}");
                Assert.True(int.TryParse(response.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds >= 1,
                    $"Retry-After '{response.RetryAfter}'");
            });
        }
    }

    /// <summary>
    /// Three kinds of request in a loop: Bearer calls with one token, DPoP calls with a fresh proof
    /// each (every proof sent twice, to catch a replay let through), and token requests with a
    /// fresh client assertion each.
    /// </summary>
    private sealed class Traffic(RotatingAppHost run)
    {
        public const string Bearer = "bearer";
        private const string DPoP = "dpop";
        private const string Assertion = "assertion";

        private readonly DPoPTestKey _key = new();
        private readonly ConcurrentQueue<(string Kind, HttpStatusCode Status, string? RetryAfter, DateTimeOffset At)> _responses = new();
        private readonly ConcurrentQueue<string> _unexpected = new();
        private readonly CancellationTokenSource _stop = new();
        private string _bearerToken = "";
        private string _dpopToken = "";
        private string? _nonce;
        private Task? _loop;

        public async Task StartAsync()
        {
            _bearerToken = await run.GetTokenAsync();
            _dpopToken = await run.GetTokenAsync(dpop: target => _key.Proof("POST", target.ToString()));
            _loop = Task.Run(() => LoopAsync(_stop.Token));
        }

        public string DPoPProof() => _key.Proof("GET", ProtectedUrl, _dpopToken, nonce: _nonce);

        private string ProtectedUrl => new Uri(run.Api.BaseAddress!, "/protected").ToString();

        public async Task<HttpResponseMessage> CallWithProofAsync(string proof)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
            request.Headers.TryAddWithoutValidation("Authorization", "DPoP " + _dpopToken);
            request.Headers.TryAddWithoutValidation("DPoP", proof);
            return await run.Api.SendAsync(request);
        }

        public async Task<OutageWindow> DuringAsync(TimeSpan length)
        {
            var from = DateTimeOffset.UtcNow;
            await Task.Delay(length);
            return new OutageWindow([.. _responses.Where(response => response.At >= from).Select(response => (response.Kind, response.Status, response.RetryAfter))]);
        }

        /// <summary>Whether, within <paramref name="bound"/>, a DPoP call and a token request by assertion both succeed.</summary>
        public async Task<bool> UntilEverythingSucceedsAsync(TimeSpan bound)
        {
            var deadline = DateTimeOffset.UtcNow + bound;
            while (DateTimeOffset.UtcNow < deadline)
            {
                var since = DateTimeOffset.UtcNow;
                await Task.Delay(TimeSpan.FromMilliseconds(500));
                var recent = _responses.Where(response => response.At >= since).ToList();
                if (recent.Any(response => response is { Kind: DPoP, Status: HttpStatusCode.OK })
                    && recent.Any(response => response is { Kind: Assertion, Status: HttpStatusCode.OK }))
                {
                    return true;
                }
            }
            return false;
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop!;
            _key.Dispose();
        }

        /// <summary>No 5xx but 503, and no proof accepted twice, in the whole run.</summary>
        public void AssertNothingElseFailed() => Assert.Empty(_unexpected);

        private async Task LoopAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using (var bearer = await run.CallApiAsync(_bearerToken))
                    {
                        Record(Bearer, bearer);
                    }
                    var proof = DPoPProof();
                    using (var first = await CallWithProofAsync(proof))
                    {
                        Record(DPoP, first);
                        using var again = await CallWithProofAsync(proof);
                        if (first.StatusCode == HttpStatusCode.OK && again.StatusCode == HttpStatusCode.OK)
                        {
                            _unexpected.Enqueue("a proof was accepted twice");
                        }
                    }
                    using (var token = await RotatingAppHost.RequestTokenWithAssertionAsync(run.Auth, await run.ClientAssertionAsync()))
                    {
                        Record(Assertion, token);
                    }
                }
                catch (HttpRequestException ex)
                {
                    _unexpected.Enqueue($"request failed: {ex.Message}");
                }
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            }
        }

        private void Record(string kind, HttpResponseMessage response)
        {
            var status = response.StatusCode;
            // RFC 9449 section 8: after a store restart the API asks for its nonce; the next proof carries it.
            if (response.Headers.TryGetValues("DPoP-Nonce", out var nonces))
            {
                _nonce = nonces.Last();
                return;
            }
            if ((int)status >= 500 && status != HttpStatusCode.ServiceUnavailable)
            {
                _unexpected.Enqueue($"{kind} answered {(int)status}");
            }
            _responses.Enqueue((kind, status, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow));
        }
    }
}

/// <summary>An AppHost of its own for the store's outages, with the store's port found once.</summary>
public sealed class StoreOutageFixture : IAsyncLifetime
{
    internal RotatingAppHost Run { get; private set; } = null!;

    public int StorePort { get; private set; }

    public async Task InitializeAsync()
    {
        Run = await RotatingAppHost.StartAsync();
        var garnet = Assert.Single(LinuxProcesses.ChildrenOf(ServiceProcess.Wrapper(Run.App, "store")));
        StorePort = LinuxProcesses.ListeningPorts(garnet).Min();
    }

    public async Task DisposeAsync() => await Run.DisposeAsync();
}
