using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.KeyStore;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit.Abstractions;

namespace AspireJwks.Tests.EndToEnd;

/// <summary>
/// Rotation and revocation on the real AppHost, with durations of seconds: the key lifecycle is the
/// production one, only faster. Traffic runs all along, and not one valid request may fail.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class KeyRotationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ClientId = "rotation-client";
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    // Well above refresh interval + max-age (1 s): on a loaded machine, Auth's reload of an
    // encrypted key (one PBKDF2 derivation) was measured at up to about 1.5 s.
    private static readonly TimeSpan PropagationDelay = TimeSpan.FromSeconds(6);
    // token-lifetime (5 s) + the API's 30 s clock skew + 1 s.
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(36);
    // How long Auth may take to notice a store change (its re-check interval), on top of the API's refresh.
    private static readonly TimeSpan AuthReload = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private readonly TemporaryDirectory _directory = new();
    private readonly string _secret = Convert.ToHexString(Guid.NewGuid().ToByteArray());
    private const string Passphrase = "rotation test passphrase";
    private StartedAppHost? _host;
    private HttpClient _auth = null!;
    private HttpClient _api = null!;

    private DistributedApplication App => _host!.App;

    private KeyStoreLayout Layout => new(_directory.Combine("keys"));

    public async Task InitializeAsync()
    {
        _host = await AppHostFixture.StartAsync(Layout.Directory, ClientId, _secret, moreArguments:
        [
            "Parameters:token-lifetime=00:00:05",
            "Parameters:jwks-max-age=00:00:00",
            $"Parameters:jwks-refresh-interval={RefreshInterval:c}",
            $"Parameters:key-propagation-delay={PropagationDelay:c}",
            $"Parameters:key-retention={Retention:c}",
            // Encrypted at rest, so the passphrase is shown to reach the bootstrapper, auth and the dashboard commands.
            $"Parameters:key-passphrase={Passphrase}",
            // The traffic loop asks for tokens far faster than a real client; rate limiting is not under test here.
            "Parameters:token-rate-limit=0",
        ]);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("api").WaitAsync(AppHostFixture.StartTimeout);
        _auth = App.CreateHttpClient("auth", "http");
        _api = App.CreateHttpClient("api", "http");
    }

    public async Task DisposeAsync()
    {
        _auth?.Dispose();
        _api?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _directory.Dispose();
    }

    [Fact]
    public async Task Two_rotations_under_continuous_traffic_fail_no_request_and_a_revoked_key_is_rejected_within_the_bound()
    {
        var first = ActiveKid();
        using var stop = new CancellationTokenSource();
        var calls = new ConcurrentQueue<Call>();
        var traffic = Task.Run(() => SendTrafficAsync(calls, stop.Token));

        // Rotation 1: the new key is published at once, beside the active one.
        var rotation = Stopwatch.StartNew();
        var second = await RotateAsync();
        var rotateCommand = rotation.Elapsed;
        await EventuallyAsync(async () => (await JwksKidsAsync()).SetEquals([first, second.Kid]), AuthReload + Slack,
            "both kids should be in the JWKS during the overlap");
        var published = rotation.Elapsed - rotateCommand;
        await WaitUntilAsync(second.ActivatesAt + Slack);
        Assert.Contains(first, await JwksKidsAsync());

        // Rotation 2, while the first key is still retained.
        var third = await RotateAsync();
        await WaitUntilAsync(third.ActivatesAt + Slack);

        Assert.All(new[] { first, second.Kid, third.Kid }, kid => Assert.StartsWith(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(Layout.PrivateKeyPath(kid)), StringComparison.Ordinal));

        // The first key leaves the JWKS when its retention ends, with no command run.
        var firstLeaves = second.ActivatesAt + Retention;
        await WaitUntilAsync(firstLeaves - Slack);
        Assert.Contains(first, await JwksKidsAsync());
        await WaitUntilAsync(firstLeaves);
        await EventuallyAsync(async () => !(await JwksKidsAsync()).Contains(first), Slack, "the first kid should leave the JWKS after retention");

        await stop.CancelAsync();
        await traffic;
        var all = calls.ToList();
        Assert.DoesNotContain(all, call => call.Status != HttpStatusCode.OK);
        AssertSignedOnlyWhileActive(all, first, until: second.ActivatesAt);
        AssertSignedOnlyWhileActive(all, second.Kid, from: second.ActivatesAt, until: third.ActivatesAt);
        AssertSignedOnlyWhileActive(all, third.Kid, from: third.ActivatesAt);

        // Revocation of the active key: its tokens must fail within the refresh interval (plus Auth's reload).
        var doomed = await GetTokenAsync();
        Assert.Equal(third.Kid, new JsonWebToken(doomed).Kid);
        Assert.Equal(HttpStatusCode.OK, (await CallApiAsync(doomed)).StatusCode);
        var result = await ExecuteAsync(KeyCommandNames.Revoke, new InteractionInput { Name = "kid", InputType = InputType.Text, Value = third.Kid });
        Assert.True(result.Success, result.Message);
        var revokedAt = Stopwatch.StartNew();

        await EventuallyAsync(async () =>
        {
            using var response = await CallApiAsync(doomed);
            return response.StatusCode == HttpStatusCode.Unauthorized
                && response.Headers.WwwAuthenticate.ToString().Contains("invalid_token", StringComparison.Ordinal);
        }, RefreshInterval + AuthReload + Slack, "the revoked key's token should be rejected");
        Assert.True(revokedAt.Elapsed <= RefreshInterval + AuthReload + Slack, $"rejected only after {revokedAt.Elapsed}");
        output.WriteLine($"rotate command (dashboard, as a process): {rotateCommand.TotalMilliseconds:0} ms; new kid in Auth's JWKS {published.TotalMilliseconds:0} ms after it returned");
        output.WriteLine($"{all.Count} token+call rounds during two rotations, all 200; revoked key rejected {revokedAt.Elapsed.TotalMilliseconds:0} ms after the command returned");
        Assert.DoesNotContain(third.Kid, await JwksKidsAsync());

        // The emergency replacement signs at once; the API learns it within the same bound
        // (a token with its unknown kid triggers a throttled refresh).
        var replacementToken = await GetTokenAsync();
        Assert.NotEqual(third.Kid, new JsonWebToken(replacementToken).Kid);
        await EventuallyAsync(async () => (await CallApiAsync(replacementToken)).StatusCode == HttpStatusCode.OK,
            RefreshInterval + AuthReload + Slack, "the replacement key's token should be accepted");
        var listed = await ExecuteAsync(KeyCommandNames.List);
        Assert.True(listed.Success, listed.Message);
    }

    private sealed record Call(string Kid, long IssuedAt, HttpStatusCode Status);

    private async Task SendTrafficAsync(ConcurrentQueue<Call> calls, CancellationToken stop)
    {
        // The last token of each kid, replayed until shortly before it expires, as a client that
        // caches its token would: tokens of a retired key must keep working.
        var cached = new Dictionary<string, JsonWebToken>();
        while (!stop.IsCancellationRequested)
        {
            var token = await GetTokenAsync();
            using var response = await CallApiAsync(token);
            var jwt = new JsonWebToken(token);
            calls.Enqueue(new Call(jwt.Kid, jwt.GetPayloadValue<long>("iat"), response.StatusCode));
            cached[jwt.Kid] = jwt;
            foreach (var old in cached.Values.Where(old => old.Kid != jwt.Kid && old.ValidTo > DateTime.UtcNow.AddSeconds(1)).ToList())
            {
                using var replay = await CallApiAsync(old.EncodedToken);
                calls.Enqueue(new Call(old.Kid, old.GetPayloadValue<long>("iat"), replay.StatusCode));
            }
            // Paced, so the loop does not starve the services of the two shared cores.
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    /// <summary>Every token carrying <paramref name="kid"/> was issued while that key was the active one.</summary>
    private static void AssertSignedOnlyWhileActive(List<Call> calls, string kid, DateTimeOffset? from = null, DateTimeOffset? until = null)
    {
        var issued = calls.Where(call => call.Kid == kid).Select(call => call.IssuedAt).ToList();
        Assert.NotEmpty(issued);
        // iat is in whole seconds, rounded down.
        Assert.All(issued, iat => Assert.True(from is null || iat >= from.Value.ToUnixTimeSeconds(), $"{kid} signed at {iat}, before {from}"));
        Assert.All(issued, iat => Assert.True(until is null || iat <= until.Value.ToUnixTimeSeconds(), $"{kid} signed at {iat}, after {until}"));
    }

    private string ActiveKid() =>
        KeyLifecycle.Active(KeyLifecycle.Evaluate(KeyStoreReader.ReadManifest(Layout.ManifestPath), DateTimeOffset.UtcNow))!.Kid;

    /// <summary>Presses "Rotate signing key" and returns the key it added.</summary>
    private async Task<ManifestKey> RotateAsync()
    {
        var before = KeyStoreReader.ReadManifest(Layout.ManifestPath).Keys.Select(key => key.Kid).ToHashSet();
        var result = await ExecuteAsync(KeyCommandNames.Rotate);
        Assert.True(result.Success, result.Message);
        return KeyStoreReader.ReadManifest(Layout.ManifestPath).Keys.Single(key => !before.Contains(key.Kid));
    }

    private Task<ExecuteCommandResult> ExecuteAsync(string command, params InteractionInput[] arguments) =>
        App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync("bootstrapper", command, new InteractionInputCollection(arguments), CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));

    private async Task<HashSet<string>> JwksKidsAsync()
    {
        using var jwks = JsonDocument.Parse(await _auth.GetStringAsync("/.well-known/jwks.json"));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!)];
    }

    private async Task<string> GetTokenAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = AppHostFixture.BasicCredentials(ClientId, _secret);
        using var response = await _auth.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    private Task<HttpResponseMessage> CallApiAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return _api.SendAsync(request);
    }

    private static async Task WaitUntilAsync(DateTimeOffset moment)
    {
        var wait = moment - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < within, $"Within {within}, {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}

/// <summary>The AppHost's command names for the bootstrapper resource (AspireJwks.AppHost.KeyCommands).</summary>
internal static class KeyCommandNames
{
    public const string Rotate = "rotate-signing-key";
    public const string Revoke = "revoke-signing-key";
    public const string List = "list-signing-keys";
}
