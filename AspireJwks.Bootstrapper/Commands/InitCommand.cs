using AspireJwks.Bootstrapper.Writing;
using System.Diagnostics;
using System.Security.Cryptography;
using AspireJwks.KeyStore;
using AspireJwks.ServiceDefaults;
using Microsoft.Extensions.Logging;

namespace AspireJwks.Bootstrapper.Commands;

/// <summary>
/// <c>init</c>: creates the store when there is none, otherwise checks it and changes nothing
/// (beyond re-deriving a missing or stale <c>jwks.json</c>). Never replaces a key it cannot read:
/// that would silently invalidate every token in flight.
/// </summary>
internal sealed class InitCommand(TimeProvider timeProvider, ILogger<InitCommand> logger)
{
    private const int RsaKeySize = 2048;

    public void Run(KeyStoreLayout layout)
    {
        if (KeyStoreReader.ManifestExists(layout))
        {
            LoadExisting(layout);
        }
        else
        {
            CreateNew(layout);
        }
    }

    private void LoadExisting(KeyStoreLayout layout)
    {
        using var activity = JwksTelemetry.Bootstrapper.StartActivity(JwksTelemetry.Spans.KeysLoad);
        var store = KeyStoreReader.Load(layout);
        var jwks = store.ToJwks().ToUtf8Json();
        if (!File.Exists(layout.JwksPath) || !File.ReadAllBytes(layout.JwksPath).AsSpan().SequenceEqual(jwks))
        {
            // jwks.json is derived from the manifest and public keys; re-deriving it changes no key.
            KeyStoreWriter.WriteJwks(layout, store.ToJwks());
            logger.LogWarning("Re-derived {JwksPath} from the manifest", layout.JwksPath);
        }
        foreach (var key in store.Keys)
        {
            activity?.AddEvent(new ActivityEvent("key.loaded", tags: new() { [JwksTelemetry.Attributes.Kid] = key.Kid }));
            logger.LogInformation("Loaded signing key {Kid} ({Alg}) from {KeysDirectory}", key.Kid, key.Entry.Alg, layout.Directory);
        }
    }

    private void CreateNew(KeyStoreLayout layout)
    {
        if (File.Exists(layout.JwksPath))
        {
            throw new KeyStoreException(
                $"{layout.ManifestPath} is missing but {layout.JwksPath} exists; refusing to create keys over an existing store.");
        }

        using var activity = JwksTelemetry.Bootstrapper.StartActivity(JwksTelemetry.Spans.KeysGenerate);
        KeyStoreWriter.EnsureDirectory(layout);

        using var rsa = RSA.Create(RsaKeySize);
        var alg = SigningAlgorithms.Default;
        var jwk = PublicJwk.FromRsa(rsa, alg);
        var now = timeProvider.GetUtcNow();
        var manifest = new KeyStoreManifest(
            KeyStoreManifest.CurrentFormatVersion,
            [new ManifestKey(jwk.Kid, alg, CreatedAt: now, ActivatesAt: now)]);

        KeyStoreWriter.WriteKeyFiles(layout, rsa, jwk.Kid);
        KeyStoreWriter.WriteManifest(layout, manifest);
        KeyStoreWriter.WriteJwks(layout, new JsonWebKeySetDocument([jwk]));

        activity?.SetTag(JwksTelemetry.Attributes.Kid, jwk.Kid);
        activity?.SetTag(JwksTelemetry.Attributes.Alg, alg);
        logger.LogInformation("Generated signing key {Kid} ({Alg}, RSA {KeySize}) in {KeysDirectory}", jwk.Kid, alg, RsaKeySize, layout.Directory);
    }
}
