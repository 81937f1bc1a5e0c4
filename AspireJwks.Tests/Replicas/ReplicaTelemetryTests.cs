using AspireJwks.Authentication.TokenValidation.Telemetry;
using AspireJwks.Issuer.Telemetry;
using AspireJwks.Protocol;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;
using Xunit.Abstractions;

namespace AspireJwks.Tests.Replicas;

/// <summary>
/// With two auth and three api processes the dashboard shows each one's own spans: every replica
/// is a resource of its own, told apart by <c>service.instance.id</c>, so a span says which
/// process issued or validated the token.
/// </summary>
// In the shared AppHost's collection, so that this second AppHost with a dashboard runs beside no
// other test and adds no load to their timing.
[Collection(AppHostCollection.Name)]
public sealed class ReplicaTelemetryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _browserToken = Convert.ToHexString(Guid.NewGuid().ToByteArray());
    private RotatingAppHost _run = null!;
    private HttpClient _telemetry = null!;

    public async Task InitializeAsync()
    {
        _run = await RotatingAppHost.StartWithDashboardAsync(_browserToken, ReplicatedAppHostFixture.Arguments);
        _telemetry = await TestDashboard.LoginAsync(_run.App, _browserToken);
    }

    public async Task DisposeAsync()
    {
        _telemetry?.Dispose();
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_replica_sends_its_own_token_spans_to_the_dashboard()
    {
        var (auths, apis) = await ReplicatedAppHostFixture.WaitForReplicasAsync(_run);

        // A token from each auth replica, and a call with it to each api replica, past the balancing.
        foreach (var auth in auths)
        {
            using var issuer = ReplicatedAppHostFixture.Client(auth);
            var token = await _run.GetTokenAsync(issuer);
            foreach (var api in apis)
            {
                using var validator = ReplicatedAppHostFixture.Client(api);
                using var response = await _run.CallApiAsync(token, validator);
                Assert.True(response.IsSuccessStatusCode, $"{api.InstanceId} answered {response.StatusCode} to a token of {auth.InstanceId}");
            }
        }

        IReadOnlyList<OtlpSpan> spans = [];
        await Eventually.TrueAsync(async () =>
        {
            using var document = await TestDashboard.GetAsync(_telemetry, "/api/telemetry/spans?limit=10000");
            spans = OtlpSpan.Parse(document);
            return Senders(spans, "auth", IssuerInstrumentation.Spans.TokenIssue).Count == auths.Count
                && Senders(spans, "api", TokenValidationInstrumentation.Spans.TokenValidate).Count == apis.Count;
        }, TimeSpan.FromSeconds(60), "each replica's token spans should reach the dashboard");

        var issuing = Senders(spans, "auth", IssuerInstrumentation.Spans.TokenIssue);
        var validating = Senders(spans, "api", TokenValidationInstrumentation.Spans.TokenValidate);
        output.WriteLine($"token.issue from {string.Join(", ", issuing)}; token.validate from {string.Join(", ", validating)}");
        Assert.Equal(auths.Select(instance => instance.InstanceId).Order(StringComparer.Ordinal), issuing);
        Assert.Equal(apis.Select(instance => instance.InstanceId).Order(StringComparer.Ordinal), validating);
    }

    /// <summary>
    /// The replicas of <paramref name="resource"/> that sent a span named <paramref name="name"/>, by
    /// the names the orchestrator gives them: <c>service.name</c>-<c>service.instance.id</c>.
    /// </summary>
    private static List<string> Senders(IReadOnlyList<OtlpSpan> spans, string resource, string name) =>
        [.. spans.Where(span => span.Resource == resource && span.Name == name)
            .Select(span => $"{span.Resource}-{span.Instance}").Distinct().Order(StringComparer.Ordinal)];
}
