using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AspireJwks.Hosting;
using AspireJwks.KeyStore;
using AspireJwks.Tests.Support;
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
    private const string Passphrase = "rotation test passphrase";
    private static readonly TimeSpan RefreshInterval = RotatingAppHost.RefreshInterval;
    private static readonly TimeSpan AuthReload = RotatingAppHost.AuthReload;
    private static readonly TimeSpan Slack = RotatingAppHost.Slack;

    private RotatingAppHost _run = null!;

    // Encrypted at rest, so the passphrase is shown to reach the bootstrapper, auth and the dashboard commands.
    public async Task InitializeAsync() => _run = await RotatingAppHost.StartAsync($"Parameters:key-passphrase={Passphrase}");

    public async Task DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_rotations_under_continuous_traffic_fail_no_request_and_a_revoked_key_is_rejected_within_the_bound()
    {
        var first = _run.ActiveKid();
        using var stop = new CancellationTokenSource();
        var calls = new ConcurrentQueue<RotationCall>();
        var traffic = Task.Run(() => _run.SendTrafficAsync(calls, stop.Token));

        // Rotation 1: the new key is published at once, beside the active one.
        var rotation = Stopwatch.StartNew();
        var second = await _run.RotateAsync();
        var rotateCommand = rotation.Elapsed;
        await Eventually.TrueAsync(async () => (await _run.JwksKidsAsync()).SetEquals([first, second.Kid]), AuthReload + Slack,
            "both kids should be in the JWKS during the overlap");
        var published = rotation.Elapsed - rotateCommand;
        await RotatingAppHost.WaitUntilAsync(second.ActivatesAt + Slack);
        Assert.Contains(first, await _run.JwksKidsAsync());

        // Rotation 2, while the first key is still retained.
        var third = await _run.RotateAsync();
        await RotatingAppHost.WaitUntilAsync(third.ActivatesAt + Slack);

        Assert.All(new[] { first, second.Kid, third.Kid }, kid => Assert.StartsWith(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(_run.Layout.PrivateKeyPath(kid)), StringComparison.Ordinal));

        // The first key leaves the JWKS when its retention ends, with no command run.
        var firstLeaves = second.ActivatesAt + RotatingAppHost.Retention;
        await RotatingAppHost.WaitUntilAsync(firstLeaves - Slack);
        Assert.Contains(first, await _run.JwksKidsAsync());
        await RotatingAppHost.WaitUntilAsync(firstLeaves);
        await Eventually.TrueAsync(async () => !(await _run.JwksKidsAsync()).Contains(first), Slack, "the first kid should leave the JWKS after retention");

        await stop.CancelAsync();
        await traffic;
        var all = calls.ToList();
        RotatingAppHost.AssertRotatedWithoutFailure(all, first, second, third);

        // Revocation of the active key: its tokens must fail within the refresh interval (plus Auth's reload).
        var doomed = await _run.GetTokenAsync();
        Assert.Equal(third.Kid, new JsonWebToken(doomed).Kid);
        Assert.Equal(HttpStatusCode.OK, (await _run.CallApiAsync(doomed)).StatusCode);
        await _run.RevokeAsync(third.Kid);
        var revokedAt = Stopwatch.StartNew();

        await Eventually.TrueAsync(async () =>
        {
            using var response = await _run.CallApiAsync(doomed);
            return response.StatusCode == HttpStatusCode.Unauthorized
                && response.Headers.WwwAuthenticate.ToString().Contains("invalid_token", StringComparison.Ordinal);
        }, RefreshInterval + AuthReload + Slack, "the revoked key's token should be rejected");
        Assert.True(revokedAt.Elapsed <= RefreshInterval + AuthReload + Slack, $"rejected only after {revokedAt.Elapsed}");
        output.WriteLine($"rotate command (dashboard, as a process): {rotateCommand.TotalMilliseconds:0} ms; new kid in Auth's JWKS {published.TotalMilliseconds:0} ms after it returned");
        output.WriteLine($"{all.Count} token+call rounds during two rotations, all 200; revoked key rejected {revokedAt.Elapsed.TotalMilliseconds:0} ms after the command returned");
        Assert.DoesNotContain(third.Kid, await _run.JwksKidsAsync());

        // The emergency replacement signs at once; the API learns it within the same bound
        // (a token with its unknown kid triggers a throttled refresh).
        var replacementToken = await _run.GetTokenAsync();
        Assert.NotEqual(third.Kid, new JsonWebToken(replacementToken).Kid);
        await Eventually.TrueAsync(async () => (await _run.CallApiAsync(replacementToken)).StatusCode == HttpStatusCode.OK,
            RefreshInterval + AuthReload + Slack, "the replacement key's token should be accepted");
        var listed = await _run.ExecuteAsync(KeyCommands.List);
        Assert.True(listed.Success, listed.Message);
    }
}
