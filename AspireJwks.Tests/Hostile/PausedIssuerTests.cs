using System.Diagnostics;
using System.Net;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// <c>auth</c> frozen (SIGSTOP: its socket accepts, nothing answers) for longer than the JWKS
/// refresh interval plus every timeout of a refresh: the API keeps serving with the keys it holds,
/// answers promptly, stays up, logs the outage once, and recovers when auth resumes.
/// </summary>
[Collection(ObservedAppHostCollection.Name)]
public sealed class PausedIssuerTests(ObservedAppHostFixture fixture)
{
    // Longer than the refresh interval plus a refresh's own timeout (at most the interval): refreshes meet the frozen auth.
    private static readonly TimeSpan Pause = 3 * ObservedAppHostFixture.JwksRefreshInterval;
    // No more than a fetch's deadline (the refresh interval): a request that waited on one would take at least that long.
    private static readonly TimeSpan PromptAnswer = ObservedAppHostFixture.JwksRefreshInterval;

    [Fact]
    public async Task With_auth_frozen_the_api_keeps_serving_from_its_keys_and_recovers_when_auth_resumes()
    {
        var token = await fixture.GetAccessTokenAsync();
        var forge = fixture.Forge();
        var apiProcess = ServiceProcess.Find(fixture.App, "api");
        var outagesBefore = ApiLines("Cannot refresh the JWKS");
        var recoveriesBefore = ApiLines("The JWKS refresh works again");

        var auth = ServiceProcess.Find(fixture.App, "auth");
        ServiceProcess.Pause(auth);
        try
        {
            var frozen = Stopwatch.StartNew();
            while (frozen.Elapsed < Pause)
            {
                Assert.Equal(HttpStatusCode.OK, await StatusWithinAsync(token));
                Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithinAsync(forge.WithHeader(header => header["kid"] = ForgedTokens.RandomKid())));
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState("api", out var api));
            Assert.Equal(KnownResourceStates.Running, api!.Snapshot.State?.Text);
            Assert.Equal(apiProcess, ServiceProcess.Find(fixture.App, "api"));
        }
        finally
        {
            ServiceProcess.Resume(auth);
        }

        using var fresh = await fixture.GetProtectedAsync(await fixture.GetAccessTokenAsync());
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        await Eventually.TrueAsync(() => ApiLines("The JWKS refresh works again") > recoveriesBefore, TimeSpan.FromSeconds(30),
            "the API should log that its JWKS refresh works again");
        Assert.Equal(outagesBefore + 1, ApiLines("Cannot refresh the JWKS"));
    }

    private int ApiLines(string text) =>
        fixture.Logs.Count(entry => entry.Resource == "api" && entry.Line.Contains(text, StringComparison.Ordinal));

    private async Task<HttpStatusCode> StatusWithinAsync(string token)
    {
        using var response = await fixture.GetProtectedPromptlyAsync(token, PromptAnswer);
        return response.StatusCode;
    }
}
