using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;

namespace AspireJwks.Tests.Support;

/// <summary>
/// The Aspire dashboard switched on in a testing AppHost (the testing builder turns it off), on
/// free loopback ports so a developer's running AppHost does not collide, with a browser token
/// fixed by the test, and a client of its telemetry API.
/// </summary>
public static class TestDashboard
{
    /// <summary>The AppHost arguments that run the dashboard with <paramref name="browserToken"/>.</summary>
    public static string[] Arguments(string browserToken) =>
    [
        "ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
        $"ASPNETCORE_URLS=http://127.0.0.1:{LoopbackPorts.Free()}",
        $"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{LoopbackPorts.Free()}",
        $"ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{LoopbackPorts.Free()}",
        $"ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN={browserToken}",
    ];

    public static Uri Address(DistributedApplication app) => app.GetEndpoint("aspire-dashboard", "http");

    /// <summary>A client of the telemetry API: the browser token buys it an API key.</summary>
    public static Task<HttpClient> LoginAsync(DistributedApplication app, string browserToken) => LoginAsync(Address(app), browserToken);

    /// <summary>A client of the telemetry API of the dashboard at <paramref name="dashboard"/>.</summary>
    public static async Task<HttpClient> LoginAsync(Uri dashboard, string browserToken)
    {
        var telemetry = new HttpClient { BaseAddress = dashboard };
        using var login = await telemetry.PostAsJsonAsync("/api/telemetry/validateToken", new { token = browserToken });
        login.EnsureSuccessStatusCode();
        using var key = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        telemetry.DefaultRequestHeaders.Add("X-API-Key", key.RootElement.GetProperty("apiKey").GetString());
        return telemetry;
    }

    /// <summary>GET on the telemetry API; null while the resource has sent nothing yet (the API answers 404).</summary>
    public static async Task<JsonDocument?> GetAsync(HttpClient telemetry, string pathAndQuery)
    {
        using var response = await telemetry.GetAsync(pathAndQuery);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
