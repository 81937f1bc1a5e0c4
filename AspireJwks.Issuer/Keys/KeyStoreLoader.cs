using System.Security.Cryptography;
using AspireJwks.Issuer.Options;
using AspireJwks.Issuer.Telemetry;
using AspireJwks.KeyStore;
using AspireJwks.Protocol;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.Keys;

/// <summary>
/// Loads the key store into the ring: once before Auth accepts a request (a store that cannot be
/// loaded then stops Auth with the reader's message, which names the file: serving without keys
/// helps nobody), and again whenever <see cref="KeyStoreWatcher"/> sees it change.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class KeyStoreLoader(
    SigningKeyRing keyRing,
    IOptions<AuthOptions> options,
    IOptions<KeyStoreOptions> keyStoreOptions,
    TimeProvider timeProvider,
    ILogger<KeyStoreLoader> logger) : IHostedService
{
    public KeyStoreLayout Layout { get; } = new(Path.GetFullPath(options.Value.KeysDirectory));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            LoadAndPublish();
        }
        catch (KeyStoreException ex)
        {
            logger.LogCritical("Cannot start: {Message}", ex.Message);
            throw;
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The digest of the manifest read before the last load: while the file still has it, nothing
    /// changed since. Kept here, by the load itself, so a change made between Auth's first load and
    /// the watcher's start is never mistaken for what was loaded.
    /// </summary>
    public byte[] LoadedDigest { get; private set; } = [];

    /// <summary>Loads the store as it is now and publishes it.</summary>
    public void LoadAndPublish()
    {
        using var activity = IssuerInstrumentation.Source.StartActivity(KeyStoreInstrumentation.Spans.KeysLoad);
        var digest = ManifestDigest();
        PublishedJwksGuard.RequirePublicOnly(Layout);
        var store = KeyStoreReader.Load(Layout, timeProvider.GetUtcNow(), keyStoreOptions.Value.Passphrase, keyRing.Store);
        keyRing.Publish(store);
        activity?.SetTag(TelemetryAttributes.Kid, keyRing.Current.ActiveKid);
        logger.LogInformation(
            "Loaded {KeyCount} signing key(s) from {KeysDirectory}; signing with {Kid}",
            store.Keys.Count, Layout.Directory, keyRing.Current.ActiveKid);
        LoadedDigest = digest;
    }

    /// <summary>The manifest's SHA-256: the manifest is the store's commit point, so it changes with every change.</summary>
    public byte[] ManifestDigest()
    {
        try
        {
            return SHA256.HashData(File.ReadAllBytes(Layout.ManifestPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyStoreException($"Cannot read {Layout.ManifestPath}: {ex.Message}", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
