using Aspire.Hosting.ApplicationModel;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.EndToEnd;

[Collection(AppHostCollection.Name)]
public sealed class StartupOrderTests(AppHostFixture fixture)
{
    // File times come from the kernel's coarse clock, which lags the real time by less than one
    // scheduler tick: at most 10 ms (the kernel's lowest tick rate is 100 Hz).
    private static readonly TimeSpan FileTimeLag = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Auth_starts_only_after_the_bootstrapper_finished_with_exit_code_0()
    {
        // The orchestrator stamps a process's start as its ticks since boot plus /proc/stat's boot time,
        // a whole second, so on Linux StartTimeStamp reads up to a second early, while StopTimeStamp is
        // its clock when it saw the exit: comparing the two once put auth 190 ms "before" the bootstrapper
        // stopped, though WaitForCompletion starts auth only after that exit. Both stamps also describe
        // the `dotnet run` wrappers, so this compares the events that matter: the store's last write
        // against the start of auth's own process, before which auth cannot have read the store.
        var bootstrapper = await fixture.App.ResourceNotifications.WaitForResourceAsync(
            "bootstrapper", e => e.Snapshot.State?.Text == KnownResourceStates.Finished).WaitAsync(AppHostFixture.StartTimeout);

        Assert.Equal(0, bootstrapper.Snapshot.ExitCode);
        var lastWrite = NewestModificationUtc(fixture.KeysDirectory) + FileTimeLag;
        // The orchestrator starts `dotnet run`, which runs auth's own executable as its one child.
        var authProcess = ServiceProcess.Find(fixture.App, "auth");
        var firstRead = LinuxProcesses.EarliestStartUtc(authProcess);
        Assert.True(lastWrite < firstRead,
            $"the key store was last written as late as {lastWrite:O}, and auth's process may have started as early as {firstRead:O}");
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

    /// <summary>
    /// The newest modification in the store: every file (keys, manifest, JWKS, the lock file) and the
    /// directory itself, whose time moves when a written file is renamed into place.
    /// </summary>
    private static DateTime NewestModificationUtc(string directory) =>
        Directory.EnumerateFileSystemEntries(directory).Append(directory).Max(File.GetLastWriteTimeUtc);
}
