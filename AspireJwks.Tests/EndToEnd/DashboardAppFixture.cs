using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.ServiceDefaults;
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
                "ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
                // Free ports of our own, so a developer's running AppHost (fixed ports) does not collide.
                $"ASPNETCORE_URLS=http://127.0.0.1:{FreePort()}",
                $"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort()}",
                $"ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{FreePort()}",
                $"ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN={BrowserToken}",
            ],
            (options, _) => options.DisableDashboard = false);
        App = await builder.BuildAsync().WaitAsync(AppHostFixture.StartTimeout);
        await App.StartAsync().WaitAsync(AppHostFixture.StartTimeout);
        await App.ResourceNotifications.WaitForResourceAsync(
            "client", e => e.Snapshot.State?.Text == KnownResourceStates.Finished).WaitAsync(AppHostFixture.StartTimeout);

        DashboardAddress = App.GetEndpoint("aspire-dashboard", "http");
        Telemetry = new HttpClient { BaseAddress = DashboardAddress };
        // The browser token buys an API key for the dashboard's telemetry API.
        using var login = await Telemetry.PostAsJsonAsync("/api/telemetry/validateToken", new { token = BrowserToken });
        login.EnsureSuccessStatusCode();
        using var key = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        Telemetry.DefaultRequestHeaders.Add("X-API-Key", key.RootElement.GetProperty("apiKey").GetString());
    }

    /// <summary>GET on the telemetry API; null while the resource has sent nothing yet (the API answers 404).</summary>
    public async Task<JsonDocument?> GetTelemetryAsync(string pathAndQuery)
    {
        using var response = await Telemetry.GetAsync(pathAndQuery);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Every span of the client's run, once the trace holds the client's, auth's and api's token
    /// spans (each service exports on its own schedule).
    /// </summary>
    public Task<IReadOnlyList<OtlpSpan>> WaitForClientRunTraceAsync() => Poll.UntilAsync(async () =>
    {
        using var clientSpans = await GetTelemetryAsync("/api/telemetry/spans?resource=client&limit=100");
        var run = OtlpSpan.Parse(clientSpans).FirstOrDefault(span => span.Name == JwksTelemetry.Spans.ClientRun);
        if (run is null)
        {
            return null;
        }
        using var traceSpans = await GetTelemetryAsync($"/api/telemetry/spans?traceId={run.TraceId}&limit=100");
        var trace = OtlpSpan.Parse(traceSpans);
        return trace.Any(span => span.Name == JwksTelemetry.Spans.TokenIssue) && trace.Any(span => span.Name == JwksTelemetry.Spans.TokenValidate)
            ? trace
            : null;
    });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

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
