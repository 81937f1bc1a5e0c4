using AspireJwks.Store.KeyChanges;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.Keys;

/// <summary>
/// Reloads the key store when it changes, without a restart: on a file-system notification, and
/// on a short interval as well because notifications can be missed (network file systems,
/// overflowing buffers), and at once when another replica announces a key change on the store
/// (so every replica stops signing with a revoked key together). A store that turns invalid is
/// logged (once per distinct problem) and ignored: Auth keeps signing and publishing with the last valid keys.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class KeyStoreWatcher(
    KeyStoreLoader loader,
    SigningKeyRing keyRing,
    IOptions<KeyStoreOptions> options,
    TimeProvider timeProvider,
    ILogger<KeyStoreWatcher> logger,
    IKeyChangeChannel? keyChanges = null) : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0, 1);
    private string? _lastProblem;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var watcher = new FileSystemWatcher(loader.Layout.Directory)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Created += (_, _) => Signal();
        watcher.Changed += (_, _) => Signal();
        watcher.Renamed += (_, _) => Signal();
        watcher.Deleted += (_, _) => Signal();
        watcher.EnableRaisingEvents = true;
        keyChanges?.Subscribe(_ => Signal());

        Task? changed = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Check();
                changed ??= _changed.WaitAsync(stoppingToken);
                var finished = await Task.WhenAny(changed, Task.Delay(options.Value.RecheckInterval, timeProvider, stoppingToken));
                await finished;
                if (finished == changed)
                {
                    changed = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Reloads when the manifest changed (or the last reload failed); otherwise lets the ring move on in time.</summary>
    internal void Check()
    {
        try
        {
            var digest = loader.ManifestDigest();
            if (digest.AsSpan().SequenceEqual(loader.LoadedDigest) && _lastProblem is null)
            {
                _ = keyRing.Current;
                return;
            }
            loader.LoadAndPublish();
            _lastProblem = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever the store holds, this service must not stop: an exception escaping a
            // BackgroundService stops the host, and Auth would go down with a bad edit.
            if (ex.Message != _lastProblem)
            {
                logger.LogError("The key store is invalid; still serving the last valid keys ({Kid} signing): {Message}",
                    keyRing.Current.ActiveKid, ex.Message);
            }
            _lastProblem = ex.Message;
        }
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A reload is already due; it will see this change too.
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }
}
