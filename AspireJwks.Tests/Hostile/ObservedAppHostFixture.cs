using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// A second AppHost for the tests that would disturb the shared one: a low <c>token-rate-limit</c>,
/// a JWKS refresh every <see cref="JwksRefreshInterval"/> (so an outage meets several refreshes),
/// every service logging at Trace with its output captured from the first line (by the shared fixture's collector), and <c>auth</c>
/// stopped and started again by the fault tests.
/// </summary>
public sealed class ObservedAppHostFixture : IAsyncLifetime
{
    public const int TokenRateLimit = 5;

    // Also each fetch's deadline, which the fault tests' bound on a prompt answer stays within.
    public static readonly TimeSpan JwksRefreshInterval = TimeSpan.FromSeconds(5);

    public static readonly string[] Services = ["bootstrapper", "auth", "api", "client"];

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly TemporaryDirectory _directory = new();
    private StartedAppHost? _host;

    public string ClientSecret { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public string KeysDirectory => _directory.Combine("keys");

    public DistributedApplication App => _host!.App;

    public HttpClient Auth { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public string Issuer { get; private set; } = "";

    /// <summary>Every access token Auth handed out in this app, for the log search.</summary>
    public ConcurrentBag<string> IssuedTokens { get; } = [];

    public IReadOnlyCollection<(string Resource, string Line)> Logs => _host?.Logs.Entries ?? [];

    public async Task InitializeAsync()
    {
        _host = await AppHostFixture.StartAsync(
            KeysDirectory, AppHostFixture.ClientId, ClientSecret,
            [$"Parameters:token-rate-limit={TokenRateLimit}", $"Parameters:jwks-refresh-interval={JwksRefreshInterval:c}"],
            builder =>
            {
                foreach (var service in Services)
                {
                    builder.CreateResourceBuilder<ProjectResource>(service)
                        .WithEnvironment("Logging__LogLevel__Default", "Trace")
                        .WithEnvironment("Logging__LogLevel__Microsoft", "Trace")
                        .WithEnvironment("Logging__LogLevel__Microsoft.AspNetCore", "Trace")
                        .WithEnvironment("Logging__LogLevel__System.Net.Http", "Trace");
                }
            });
        // The client's own run comes first, so that no rate-limit test can starve it and its log lines are all there.
        await App.ResourceNotifications.WaitForResourceAsync(
            "client", e => e.Snapshot.State?.Text == KnownResourceStates.Finished).WaitAsync(AppHostFixture.StartTimeout);
        Auth = App.CreateHttpClient("auth", "http");
        Api = App.CreateHttpClient("api", "http");
        Auth.Timeout = Api.Timeout = RequestTimeout;
        using var metadata = JsonDocument.Parse(await Auth.GetStringAsync(new Uri("/.well-known/openid-configuration", UriKind.Relative)));
        Issuer = metadata.RootElement.GetProperty("issuer").GetString()!;
    }

    public ForgedTokens Forge() => new(KeysDirectory, Issuer, AppHostFixture.ApiAudience);

    public Task<HttpResponseMessage> RequestTokenAsync(string clientId, string clientSecret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = AppHostFixture.BasicCredentials(clientId, clientSecret);
        return Auth.SendAsync(request);
    }

    /// <summary>A token for the demo client, waiting out the rate limit (bounded) if an earlier test used it up.</summary>
    public async Task<string> GetAccessTokenAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await RequestTokenAsync(AppHostFixture.ClientId, ClientSecret);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 10)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var token = body.RootElement.GetProperty("access_token").GetString()!;
            IssuedTokens.Add(token);
            return token;
        }
    }

    public Task<HttpResponseMessage> GetProtectedAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return Api.SendAsync(request);
    }

    /// <summary>
    /// Calls <c>/protected</c> and asserts the API answered within <paramref name="bound"/>: with its
    /// issuer away, an API must answer from the keys it holds, never wait on the issuer.
    /// </summary>
    public async Task<HttpResponseMessage> GetProtectedPromptlyAsync(string token, TimeSpan bound)
    {
        var started = TimeProvider.System.GetTimestamp();
        // The outer limit only keeps a hung API from hanging the test; the assertion is the bound.
        var response = await GetProtectedAsync(token).WaitAsync(TimeSpan.FromSeconds(30));
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        Assert.True(elapsed < bound, $"the API took {elapsed} to answer with its issuer away");
        return response;
    }

    /// <summary>Waits (bounded) until no resource has logged anything new for a moment.</summary>
    public async Task WaitForQuietLogsAsync()
    {
        var deadline = TimeProvider.System.GetTimestamp();
        var count = -1;
        while (count != Logs.Count && TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(20))
        {
            count = Logs.Count;
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }
    }

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
public sealed class ObservedAppHostCollection : ICollectionFixture<ObservedAppHostFixture>
{
    public const string Name = "ObservedAppHost";
}
