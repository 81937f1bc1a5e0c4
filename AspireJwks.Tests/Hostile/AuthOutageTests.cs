using System.Diagnostics;
using System.Net;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// <c>auth</c> stopped under a running API: tokens signed with cached keys keep working, an
/// unknown kid is a prompt 401 (no hang, no 500), and everything recovers when auth returns.
/// </summary>
[Collection(ObservedAppHostCollection.Name)]
public sealed class AuthOutageTests(ObservedAppHostFixture fixture)
{
    // Far above a 401 from the cache, and no more than a fetch's deadline (the refresh interval): a
    // request stuck on the missing issuer would take at least that long.
    private static readonly TimeSpan PromptAnswer = ObservedAppHostFixture.JwksRefreshInterval;

    [Fact]
    public async Task With_auth_stopped_cached_keys_still_validate_and_unknown_kids_are_refused_promptly()
    {
        var issuedBefore = await fixture.GetAccessTokenAsync();
        var forge = fixture.Forge();

        await StopAuthAsync();
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                // Bounded: the orchestrator's proxy may hold the connection rather than refuse it.
                using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                using var unreachable = await fixture.Auth.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative), bounded.Token);
                unreachable.EnsureSuccessStatusCode();
            });

            Assert.Equal(HttpStatusCode.OK, await StatusWithinAsync(issuedBefore));
            Assert.Equal(HttpStatusCode.OK, await StatusWithinAsync(forge.Valid()));
            foreach (var unknown in new[]
            {
                forge.WithHeader(header => header["kid"] = ForgedTokens.RandomKid()),
                forge.WithHeader(header => header["kid"] = ForgedTokens.RandomKid()),
                forge.SignedByUnknownKey(claimRealKid: false),
                forge.SignedByUnknownKey(claimRealKid: true),
            })
            {
                using var response = await fixture.GetProtectedPromptlyAsync(unknown, PromptAnswer);
                await HostileAssert.InvalidTokenAsync(response);
            }
        }
        finally
        {
            await StartAuthAsync();
        }

        // Recovered: a fresh token from the restarted auth is accepted.
        using var after = await fixture.GetProtectedAsync(await fixture.GetAccessTokenAsync());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>
    /// Kills the auth process outright, as a crash would: no graceful shutdown for the API to
    /// notice. (The orchestrator's stop command waits out a grace period of several seconds.)
    /// </summary>
    private async Task StopAuthAsync()
    {
        using (var process = Process.GetProcessById(ServiceProcess.Wrapper(fixture.App, "auth")))
        {
            process.Kill(entireProcessTree: true);
        }
        await fixture.App.ResourceNotifications.WaitForResourceAsync("auth",
                e => e.Snapshot.State?.Text is { } state && (state == KnownResourceStates.Exited || state == KnownResourceStates.Finished))
            .WaitAsync(AppHostFixture.StartTimeout);
    }

    private async Task StartAuthAsync()
    {
        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync("auth", KnownResourceCommands.StartCommand)
            .WaitAsync(AppHostFixture.StartTimeout);
        Assert.True(result.Success, result.Message);
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("auth").WaitAsync(AppHostFixture.StartTimeout);
    }

    private async Task<HttpStatusCode> StatusWithinAsync(string token)
    {
        using var response = await fixture.GetProtectedPromptlyAsync(token, PromptAnswer);
        return response.StatusCode;
    }
}
