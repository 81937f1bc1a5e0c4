using Aspire.Hosting.ApplicationModel;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.EndToEnd;

// In the AppHost collection so that it never runs beside the shared app (both use the AppHost's ports).
[Collection(AppHostCollection.Name)]
public sealed class BootstrapperFailureTests
{
    [Fact]
    public async Task A_bootstrapper_that_cannot_create_the_key_store_keeps_auth_from_starting()
    {
        using var directory = new TemporaryDirectory();
        var blockingFile = directory.Combine("not-a-directory");
        await File.WriteAllTextAsync(blockingFile, "a file where the key store's parent folder should be");
        // Tests run as root, which ignores permission bits: a path under a regular file cannot be created by anyone.
        var unwritableKeysDirectory = Path.Combine(blockingFile, "keys");

        await using var host = await AppHostFixture.StartAsync(unwritableKeysDirectory, "demo-client", "a-secret-long-enough-for-auth");
        var (app, logs) = (host.App, host.Logs);

        var bootstrapper = await app.ResourceNotifications.WaitForResourceAsync(
            "bootstrapper", e => e.Snapshot.State?.Text == KnownResourceStates.Finished).WaitAsync(AppHostFixture.StartTimeout);
        Assert.NotEqual(0, bootstrapper.Snapshot.ExitCode);

        var auth = await app.ResourceNotifications.WaitForResourceAsync(
            "auth", e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart).WaitAsync(AppHostFixture.StartTimeout);
        Assert.Null(auth.Snapshot.StartTimeStamp);
        Assert.False(File.Exists(Path.Combine(unwritableKeysDirectory, "manifest.json")));
        Assert.Contains(logs.LinesOf("bootstrapper"), line => line.Contains(unwritableKeysDirectory, StringComparison.Ordinal));
    }
}
