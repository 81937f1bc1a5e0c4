using Aspire.Hosting.ApplicationModel;

namespace AspireJwks.Tests.EndToEnd;

[Collection(AppHostCollection.Name)]
public sealed class StartupOrderTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Auth_starts_only_after_the_bootstrapper_finished_with_exit_code_0()
    {
        var bootstrapper = await fixture.App.ResourceNotifications.WaitForResourceAsync(
            "bootstrapper", e => e.Snapshot.State?.Text == KnownResourceStates.Finished).WaitAsync(AppHostFixture.StartTimeout);
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState("auth", out var auth));

        Assert.Equal(0, bootstrapper.Snapshot.ExitCode);
        Assert.NotNull(bootstrapper.Snapshot.StopTimeStamp);
        Assert.NotNull(auth!.Snapshot.StartTimeStamp);
        Assert.True(auth.Snapshot.StartTimeStamp >= bootstrapper.Snapshot.StopTimeStamp,
            $"auth started at {auth.Snapshot.StartTimeStamp:O}, before the bootstrapper stopped at {bootstrapper.Snapshot.StopTimeStamp:O}");
    }

    [Fact]
    public async Task Client_gets_a_token_calls_the_api_and_exits_with_code_0()
    {
        var client = await fixture.WaitForClientFinishedAsync();

        Assert.Equal(0, client.Snapshot.ExitCode);
    }

    [Fact]
    public async Task Client_logs_the_api_response_and_the_bootstrapper_logs_its_key()
    {
        await fixture.WaitForClientFinishedAsync();

        var clientLog = fixture.Logs.LinesOf("client");
        var bootstrapperLog = fixture.Logs.LinesOf("bootstrapper");

        Assert.Contains(clientLog, line => line.Contains("API Response: {\"message\":\"Protected resource accessed\"", StringComparison.Ordinal));
        Assert.Contains(bootstrapperLog, line => line.Contains("Generated signing key", StringComparison.Ordinal));
    }
}
