using Aspire.Hosting;

namespace AspireJwks.Tests.Support;

/// <summary>
/// A started AppHost and the log collector that watched it from its first line; disposing it
/// stops the app (bounded), lets the collector finish, then releases the app.
/// </summary>
public sealed class StartedAppHost(DistributedApplication app, ResourceLogCollector logs, TimeSpan stopTimeout) : IAsyncDisposable
{
    public DistributedApplication App => app;

    public ResourceLogCollector Logs => logs;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().WaitAsync(stopTimeout);
        await logs.DisposeAsync();
        await app.DisposeAsync();
    }
}
