using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace AspireJwks.Tests.Support;

/// <summary>
/// Collects every console line of the app's resources, and the latest state of each instance. It subscribes before the app starts
/// (without the dashboard, Aspire keeps no log backlog for a resource nobody watches) and follows
/// each resource instance as the orchestrator announces it, since logs are kept per instance id
/// (e.g. "client-x7k2p"), not per resource name.
/// </summary>
public sealed class ResourceLogCollector : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Resource, string Line)> _entries = new();
    private readonly ConcurrentDictionary<string, Task> _watchers = new();
    private readonly ConcurrentDictionary<string, ResourceEvent> _instances = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _follower;

    public ResourceLogCollector(DistributedApplication app)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        _follower = Task.Run(async () =>
        {
            try
            {
                await foreach (var notification in app.ResourceNotifications.WatchAsync(_stop.Token))
                {
                    var resource = notification.Resource.Name;
                    _instances[notification.ResourceId] = notification;
                    _ = _watchers.GetOrAdd(notification.ResourceId, instance => Task.Run(() => CopyAsync(logs, resource, instance)));
                }
            }
            catch (OperationCanceledException)
            {
                // Disposed.
            }
        });
    }

    /// <summary>Every line so far, with the resource that wrote it.</summary>
    public IReadOnlyCollection<(string Resource, string Line)> Entries => _entries;

    /// <summary>The latest state of each instance (replica) of <paramref name="resource"/> the orchestrator announced.</summary>
    public IReadOnlyList<ResourceEvent> InstancesOf(string resource) =>
        [.. _instances.Values.Where(instance => instance.Resource.Name == resource).OrderBy(instance => instance.ResourceId, StringComparer.Ordinal)];

    public IReadOnlyList<string> LinesOf(string resource) =>
        [.. _entries.Where(entry => entry.Resource == resource).Select(entry => entry.Line)];

    private async Task CopyAsync(ResourceLoggerService logs, string resource, string instance)
    {
        try
        {
            await foreach (var batch in logs.WatchAsync(instance).WithCancellation(_stop.Token))
            {
                foreach (var line in batch)
                {
                    _entries.Enqueue((resource, line.Content));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _follower;
        await Task.WhenAll(_watchers.Values);
        _stop.Dispose();
    }
}
