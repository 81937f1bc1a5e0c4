using AspireJwks.Auth.Options;
using AspireJwks.KeyStore;
using AspireJwks.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace AspireJwks.Auth.Keys;

/// <summary>
/// Loads the key store once, before Auth accepts a request. A store that cannot be loaded stops
/// Auth with the reader's message (which names the file): serving without keys helps nobody.
/// </summary>
internal sealed class KeyStoreLoader(
    SigningKeyRing keyRing,
    IOptions<AuthOptions> options,
    ILogger<KeyStoreLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        using var activity = JwksTelemetry.Auth.StartActivity(JwksTelemetry.Spans.KeysLoad);
        var layout = new KeyStoreLayout(Path.GetFullPath(options.Value.KeysDirectory));
        try
        {
            PublishedJwksGuard.RequirePublicOnly(layout);
            var store = KeyStoreReader.Load(layout);
            keyRing.Publish(store);
            logger.LogInformation(
                "Loaded {KeyCount} signing key(s) from {KeysDirectory}; signing with {Kid}",
                store.Keys.Count, layout.Directory, keyRing.Current.SigningCredentials.Key.KeyId);
        }
        catch (KeyStoreException ex)
        {
            logger.LogCritical("Cannot start: {Message}", ex.Message);
            throw;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
