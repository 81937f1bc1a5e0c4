using System.Net.Http.Headers;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.EndToEnd;

/// <summary>
/// The real AppHost with services of a team's own joined to it exactly as the README says
/// (<c>Adopters/OrdersApi</c> with WithTokenValidation, <c>Adopters/ReportsWorker</c> with
/// WithClientCredentials; <c>Adopters/InvoicesApi</c>, which has no launch profile, and
/// <c>Adopters/InvoicesClerk</c> calling it), tokens that live 6 seconds so the clients renew
/// them while the tests watch, and the demo client calling every second.
/// </summary>
public sealed class AdoptionFixture : IAsyncLifetime
{
    public const string OrdersAudience = "orders-api";
    public const string ReporterId = "reporter";
    public const string InvoicesAudience = "invoices-api";
    public const string ClerkId = "clerk";
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(6);

    private readonly TemporaryDirectory _directory = new();
    private StartedAppHost? _host;

    public string ClientSecret { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public string ReporterSecret { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public string ClerkSecret { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public DistributedApplication App => _host!.App;

    public ResourceLogCollector Logs => _host!.Logs;

    public HttpClient Auth { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public HttpClient Orders { get; private set; } = null!;

    public HttpClient Invoices { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await AppHostFixture.StartAsync(_directory.Combine("keys"), AppHostFixture.ClientId, ClientSecret,
            [
                $"Parameters:token-lifetime={TokenLifetime:c}",
                "Parameters:client-interval=00:00:01",
                // The generated secret would otherwise be kept in the AppHost's user secrets.
                $"Parameters:{ReporterId}-secret={ReporterSecret}",
                $"Parameters:{ClerkId}-secret={ClerkSecret}",
            ],
            builder =>
            {
                // What the README tells a team to write in AppHost.cs, two lines per service.
                var auth = builder.CreateResourceBuilder<ProjectResource>("auth");
                var orders = builder.AddProject("orders", Adopter(builder, "OrdersApi"))
                    .WithTokenValidation(auth, audience: OrdersAudience, "orders.read", "orders.write");
                builder.AddProject(ReporterId, Adopter(builder, "ReportsWorker"))
                    .WithClientCredentials(auth, clientId: ReporterId, "orders.read")
                    .WithReference(orders);
                var invoices = builder.AddProject("invoices", Adopter(builder, "InvoicesApi"))
                    .WithTokenValidation(auth, audience: InvoicesAudience, "invoices.read");
                builder.AddProject(ClerkId, Adopter(builder, "InvoicesClerk"))
                    .WithClientCredentials(auth, clientId: ClerkId, "invoices.read")
                    .WithReference(invoices);
            });
        await App.ResourceNotifications.WaitForResourceHealthyAsync("orders").WaitAsync(AppHostFixture.StartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("invoices").WaitAsync(AppHostFixture.StartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("api").WaitAsync(AppHostFixture.StartTimeout);
        Auth = App.CreateHttpClient("auth", "http");
        Api = App.CreateHttpClient("api", "http");
        Orders = App.CreateHttpClient("orders", "http");
        Invoices = App.CreateHttpClient("invoices", "http");
    }

    private static string Adopter(IDistributedApplicationTestingBuilder builder, string name) =>
        Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "AspireJwks.Tests", "Adopters", name, name + ".csproj"));

    /// <summary>POST /token as <paramref name="clientId"/>; the raw response.</summary>
    public Task<HttpResponseMessage> RequestTokenAsync(string clientId, string secret, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        var request = new HttpRequestMessage(HttpMethod.Post, "/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = AppHostFixture.BasicCredentials(clientId, secret);
        return Auth.SendAsync(request);
    }

    public async Task<string> TokenAsync(string clientId, string secret)
    {
        using var response = await RequestTokenAsync(clientId, secret);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient service, HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await service.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        Auth?.Dispose();
        Api?.Dispose();
        Orders?.Dispose();
        Invoices?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _directory.Dispose();
    }
}
