using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Hosting;
using AspireJwks.KeyStore;
using AspireJwks.Tests.EndToEnd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AspireJwks.Tests.Support;

/// <summary>One token request and API call of the rotation traffic: the token's kid and iat, and the API's answer.</summary>
internal sealed record RotationCall(string Kid, long IssuedAt, HttpStatusCode Status);

/// <summary>
/// The real AppHost with key timings of seconds (the production lifecycle, only faster), and what
/// the rotation tests do to it: continuous traffic, the dashboard's key commands, the JWKS.
/// </summary>
internal sealed class RotatingAppHost : IAsyncDisposable
{
    public const string ClientId = "rotation-client";
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    // Well above refresh interval + max-age (1 s): on a loaded machine, Auth's reload of an
    // encrypted key (one PBKDF2 derivation) was measured at up to about 1.5 s.
    public static readonly TimeSpan PropagationDelay = TimeSpan.FromSeconds(6);
    // token-lifetime (5 s) + the API's 30 s clock skew + 1 s.
    public static readonly TimeSpan Retention = TimeSpan.FromSeconds(36);
    // How long Auth may take to notice a store change (its re-check interval), on top of the API's refresh.
    public static readonly TimeSpan AuthReload = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private readonly TemporaryDirectory _directory = new();
    private readonly string _secret = Convert.ToHexString(Guid.NewGuid().ToByteArray());
    private StartedAppHost _host = null!;

    private RotatingAppHost()
    {
    }

    public DistributedApplication App => _host.App;

    /// <summary>Every line and the latest state of every instance of the app's resources.</summary>
    public ResourceLogCollector Resources => _host.Logs;

    public KeyStoreLayout Layout => new(_directory.Combine("keys"));

    /// <summary>Auth and the API through the AppHost's endpoints (balanced over the replicas, if any).</summary>
    public HttpClient Auth { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public string ClientSecret => _secret;

    public static Task<RotatingAppHost> StartAsync(params string[] moreArguments) => StartAsync(null, moreArguments);

    /// <summary>As <see cref="StartAsync(string[])"/>, with the dashboard running and logged into with <paramref name="browserToken"/>.</summary>
    public static Task<RotatingAppHost> StartWithDashboardAsync(string browserToken, params string[] moreArguments) =>
        StartAsync(browserToken, moreArguments);

    private static async Task<RotatingAppHost> StartAsync(string? dashboardBrowserToken, string[] moreArguments)
    {
        var run = new RotatingAppHost();
        run._host = await AppHostFixture.StartAsync(run.Layout.Directory, ClientId, run._secret, dashboardBrowserToken: dashboardBrowserToken, moreArguments:
        [
            "Parameters:token-lifetime=00:00:05",
            "Parameters:jwks-max-age=00:00:00",
            $"Parameters:jwks-refresh-interval={RefreshInterval:c}",
            $"Parameters:key-propagation-delay={PropagationDelay:c}",
            $"Parameters:key-retention={Retention:c}",
            // The traffic asks for tokens far faster than a real client; rate limiting is not under test here.
            "Parameters:token-rate-limit=0",
            .. moreArguments,
        ]);
        await run.App.ResourceNotifications.WaitForResourceHealthyAsync("api").WaitAsync(AppHostFixture.StartTimeout);
        run.Auth = run.App.CreateHttpClient("auth", "http");
        run.Api = run.App.CreateHttpClient("api", "http");
        return run;
    }

    /// <summary>
    /// Token after token, each used at once, and the last token of each kid replayed until shortly
    /// before it expires, as a client that caches its token would: tokens of a retired key must
    /// keep working.
    /// </summary>
    public async Task SendTrafficAsync(ConcurrentQueue<RotationCall> calls, CancellationToken stop)
    {
        var cached = new Dictionary<string, JsonWebToken>();
        while (!stop.IsCancellationRequested)
        {
            var token = await GetTokenAsync();
            using var response = await CallApiAsync(token);
            var jwt = new JsonWebToken(token);
            calls.Enqueue(new RotationCall(jwt.Kid, jwt.GetPayloadValue<long>("iat"), response.StatusCode));
            cached[jwt.Kid] = jwt;
            foreach (var old in cached.Values.Where(old => old.Kid != jwt.Kid && old.ValidTo > DateTime.UtcNow.AddSeconds(1)).ToList())
            {
                using var replay = await CallApiAsync(old.EncodedToken);
                calls.Enqueue(new RotationCall(old.Kid, old.GetPayloadValue<long>("iat"), replay.StatusCode));
            }
            // Paced, so the loop does not starve the services of the two shared cores.
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    /// <summary>Every token carrying <paramref name="kid"/> was issued while that key was the active one.</summary>
    /// <summary>Every call of the traffic succeeded, and each of three successive keys signed only while it was active.</summary>
    public static void AssertRotatedWithoutFailure(IReadOnlyList<RotationCall> calls, string first, ManifestKey second, ManifestKey third)
    {
        Assert.DoesNotContain(calls, call => call.Status != HttpStatusCode.OK);
        AssertSignedOnlyWhileActive(calls, first, until: second.ActivatesAt);
        AssertSignedOnlyWhileActive(calls, second.Kid, from: second.ActivatesAt, until: third.ActivatesAt);
        AssertSignedOnlyWhileActive(calls, third.Kid, from: third.ActivatesAt);
    }

    public static void AssertSignedOnlyWhileActive(IReadOnlyList<RotationCall> calls, string kid, DateTimeOffset? from = null, DateTimeOffset? until = null)
    {
        var issued = calls.Where(call => call.Kid == kid).Select(call => call.IssuedAt).ToList();
        Assert.NotEmpty(issued);
        // iat is in whole seconds, rounded down.
        Assert.All(issued, iat => Assert.True(from is null || iat >= from.Value.ToUnixTimeSeconds(), $"{kid} signed at {iat}, before {from}"));
        Assert.All(issued, iat => Assert.True(until is null || iat <= until.Value.ToUnixTimeSeconds(), $"{kid} signed at {iat}, after {until}"));
    }

    public string ActiveKid() =>
        KeyLifecycle.Active(KeyLifecycle.Evaluate(KeyStoreReader.ReadManifest(Layout.ManifestPath), DateTimeOffset.UtcNow))!.Kid;

    /// <summary>Presses "Rotate signing key" and returns the key it added.</summary>
    public async Task<ManifestKey> RotateAsync()
    {
        var before = KeyStoreReader.ReadManifest(Layout.ManifestPath).Keys.Select(key => key.Kid).ToHashSet();
        var result = await ExecuteAsync(KeyCommands.Rotate);
        Assert.True(result.Success, result.Message);
        return KeyStoreReader.ReadManifest(Layout.ManifestPath).Keys.Single(key => !before.Contains(key.Kid));
    }

    /// <summary>Presses "Revoke signing key" for <paramref name="kid"/>.</summary>
    public async Task RevokeAsync(string kid)
    {
        var result = await ExecuteAsync(KeyCommands.Revoke, new InteractionInput { Name = KeyCommands.KidArgument, InputType = InputType.Text, Value = kid });
        Assert.True(result.Success, result.Message);
    }

    public Task<ExecuteCommandResult> ExecuteAsync(string command, params InteractionInput[] arguments) =>
        App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync("bootstrapper", command, new InteractionInputCollection(arguments), CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));

    /// <summary>The kids <paramref name="auth"/> (by default, auth through the AppHost) publishes now.</summary>
    public async Task<HashSet<string>> JwksKidsAsync(HttpClient? auth = null)
    {
        using var jwks = JsonDocument.Parse(await (auth ?? Auth).GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative)));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!)];
    }

    /// <param name="dpop">Makes the proof for the token request's URL: with it, the token is bound to that proof's key.</param>
    public async Task<string> GetTokenAsync(HttpClient? auth = null, Func<Uri, string>? dpop = null)
    {
        auth ??= Auth;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = AppHostFixture.BasicCredentials(ClientId, _secret);
        if (dpop is not null)
        {
            request.Headers.Add("DPoP", dpop(new Uri(auth.BaseAddress!, "/token")));
        }
        using var response = await auth.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A one-minute client assertion (RFC 7523) signed with the client's own key, as the AppHost made it, for the issuer.</summary>
    public async Task<string> ClientAssertionAsync()
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var pem = await model.Resources.OfType<ParameterResource>().Single(parameter => parameter.Name == "client-key").GetValueAsync(CancellationToken.None);
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return HandMadeJws.Sign(new JsonObject { ["alg"] = "ES256" }, new JsonObject
        {
            ["iss"] = ClientId,
            ["sub"] = ClientId,
            ["aud"] = Auth.BaseAddress!.GetLeftPart(UriPartial.Authority),
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now,
            ["exp"] = now + 60,
        }, key);
    }

    /// <summary>POST /token authenticated by <paramref name="assertion"/> (private_key_jwt) on <paramref name="auth"/>.</summary>
    public static Task<HttpResponseMessage> RequestTokenWithAssertionAsync(HttpClient auth, string assertion) =>
        auth.PostAsync(new Uri("/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        }));

    /// <summary>GET /protected on <paramref name="api"/> (by default, the API through the AppHost).</summary>
    public Task<HttpResponseMessage> CallApiAsync(string token, HttpClient? api = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (api ?? Api).SendAsync(request);
    }

    public static async Task WaitUntilAsync(DateTimeOffset moment)
    {
        var wait = moment - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    public async ValueTask DisposeAsync()
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
