using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Authentication.TokenValidation.Telemetry;
using AspireJwks.Client;
using AspireJwks.Issuer.Telemetry;
using AspireJwks.Protocol;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.EndToEnd;

/// <summary>
/// The real AppHost with the Aspire dashboard switched on (the testing builder turns it off), for
/// the checks that read telemetry back from the dashboard: its HTTP API and a real browser share
/// this one start.
/// </summary>
public sealed class DashboardAppFixture : IAsyncLifetime
{
    private readonly TemporaryDirectory _directory = new();

    /// <summary>The browser token the dashboard's login page accepts; fixed so tests need not scrape it from the console.</summary>
    public string BrowserToken { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public string KeysDirectory => _directory.Combine("keys");

    public string ClientSecret { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public DistributedApplication App { get; private set; } = null!;

    public Uri DashboardAddress { get; private set; } = null!;

    public HttpClient Telemetry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireJwks_AppHost>(
            [
                $"Parameters:keys-directory={KeysDirectory}",
                $"Parameters:client-secret={ClientSecret}",
                .. TestDashboard.Arguments(BrowserToken),
            ],
            (options, _) => options.DisableDashboard = false);
        App = await builder.BuildAsync().WaitAsync(AppHostFixture.StartTimeout);
        await App.StartAsync().WaitAsync(AppHostFixture.StartTimeout);
        await App.ResourceNotifications.WaitForResourceAsync(
            "client", e => e.Snapshot.State?.Text == KnownResourceStates.Finished).WaitAsync(AppHostFixture.StartTimeout);

        DashboardAddress = TestDashboard.Address(App);
        Telemetry = await TestDashboard.LoginAsync(App, BrowserToken);
    }

    /// <summary>GET on the telemetry API; null while the resource has sent nothing yet (the API answers 404).</summary>
    public Task<JsonDocument?> GetTelemetryAsync(string pathAndQuery) => TestDashboard.GetAsync(Telemetry, pathAndQuery);

    /// <summary>
    /// Every span of the client's run, once the trace holds the client's, auth's and api's token
    /// spans (each service exports on its own schedule).
    /// </summary>
    public Task<IReadOnlyList<OtlpSpan>> WaitForClientRunTraceAsync() => Poll.UntilAsync(async () =>
    {
        using var clientSpans = await GetTelemetryAsync("/api/telemetry/spans?resource=client&limit=100");
        var run = OtlpSpan.Parse(clientSpans).FirstOrDefault(span => span.Name == ClientInstrumentation.Spans.ClientRun);
        if (run is null)
        {
            return null;
        }
        using var traceSpans = await GetTelemetryAsync($"/api/telemetry/spans?traceId={run.TraceId}&limit=100");
        var trace = OtlpSpan.Parse(traceSpans);
        return trace.Any(span => span.Name == IssuerInstrumentation.Spans.TokenIssue) && trace.Any(span => span.Name == TokenValidationInstrumentation.Spans.TokenValidate)
            ? trace
            : null;
    });

    public async Task DisposeAsync()
    {
        Telemetry?.Dispose();
        if (App is not null)
        {
            await App.StopAsync().WaitAsync(AppHostFixture.StartTimeout);
            await App.DisposeAsync();
        }
        _directory.Dispose();
    }
}
