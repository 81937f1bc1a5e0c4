using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Hosting;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.EndToEnd;

/// <summary>
/// The real AppHost, started once for every end-to-end test in the collection, with its own
/// temporary key store and client secret. Waits until the client has finished its run. Besides
/// the demo API and client, auth knows a second API (<see cref="ReportsAudience"/>, no service
/// behind it) and a second client allowed scopes of both, registered the way the AppHost does it,
/// after AppHost.cs ran.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    public const string ClientId = "e2e-client";
    public const string ApiAudience = "aspirejwks-api";
    public const string ReportsAudience = "e2e-reports-api";
    public const string ReportsScope = "reports.read";
    public const string MultiClientId = "e2e-multi-client";

    private readonly TemporaryDirectory _directory = new();

    public string ClientSecret { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public string MultiClientSecret { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public string KeysDirectory => _directory.Combine("keys");

    private StartedAppHost? _host;

    public DistributedApplication App => _host!.App;

    /// <summary>Every console line of every resource since the app started.</summary>
    public ResourceLogCollector Logs => _host!.Logs;

    public HttpClient Auth { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    /// <summary>The issuer as Auth announces it in its metadata.</summary>
    public string Issuer { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _host = await StartAsync(KeysDirectory, ClientId, ClientSecret, configure: builder =>
        {
            var auth = builder.CreateResourceBuilder<ProjectResource>("auth");
            TokenIssuerRegistry.RegisterApi(auth, ReportsAudience, [ReportsScope]);
            TokenIssuerRegistry.RegisterClient(auth,
                builder.AddParameter("e2e-multi-client-id", MultiClientId),
                builder.AddParameter("e2e-multi-client-secret", MultiClientSecret, secret: true),
                ["api.read", ReportsScope]);
        });
        await App.ResourceNotifications.WaitForResourceHealthyAsync("api").WaitAsync(StartTimeout);
        Auth = App.CreateHttpClient("auth", "http");
        Api = App.CreateHttpClient("api", "http");
        using var metadata = JsonDocument.Parse(await Auth.GetStringAsync("/.well-known/openid-configuration"));
        Issuer = metadata.RootElement.GetProperty("issuer").GetString()!;
    }

    /// <param name="dashboardBrowserToken">When set, the dashboard runs too (<see cref="TestDashboard"/>), with this browser token.</param>
    public static async Task<StartedAppHost> StartAsync(
        string keysDirectory, string clientId, string clientSecret,
        IEnumerable<string>? moreArguments = null, Action<IDistributedApplicationTestingBuilder>? configure = null,
        string? dashboardBrowserToken = null)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireJwks_AppHost>(
            [
                $"Parameters:keys-directory={keysDirectory}",
                $"Parameters:client-id={clientId}",
                $"Parameters:client-secret={clientSecret}",
                .. moreArguments ?? [],
                .. dashboardBrowserToken is null ? [] : TestDashboard.Arguments(dashboardBrowserToken),
            ],
            (options, _) => options.DisableDashboard = dashboardBrowserToken is null);
        configure?.Invoke(builder);
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            // The testing builder runs no dashboard, yet points the services' OTLP exporter at one
            // with retries on: the bootstrapper then spends about 10 s retrying at exit before auth
            // may start. With nothing to export to, one failed attempt is enough.
            builder.CreateResourceBuilder(project).WithEnvironment("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "");
        }
        var app = await builder.BuildAsync().WaitAsync(StartTimeout);
        var logs = new ResourceLogCollector(app);
        await app.StartAsync().WaitAsync(StartTimeout);
        return new StartedAppHost(app, logs, StartTimeout);
    }

    public Task<ResourceEvent> WaitForClientFinishedAsync() =>
        App.ResourceNotifications.WaitForResourceAsync(
            "client", e => e.Snapshot.State?.Text == KnownResourceStates.Finished).WaitAsync(StartTimeout);

    /// <summary>A token from <c>POST /token</c> with the demo client's credentials, sent as HTTP Basic.</summary>
    public async Task<string> GetAccessTokenAsync(string? scope = null)
    {
        using var response = await RequestTokenAsync(ClientId, ClientSecret, scope);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    public Task<HttpResponseMessage> RequestTokenAsync(
        string clientId, string clientSecret, string? scope = null, string grantType = "client_credentials", string? resource = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = grantType };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        if (resource is not null)
        {
            form["resource"] = resource;
        }
        var request = new HttpRequestMessage(HttpMethod.Post, "/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = BasicCredentials(clientId, clientSecret);
        return Auth.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetProtectedAsync(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return Api.SendAsync(request);
    }

    public static AuthenticationHeaderValue BasicCredentials(string clientId, string clientSecret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}")));

    public async Task DisposeAsync()
    {
        Auth?.Dispose();
        Api?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _directory.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
