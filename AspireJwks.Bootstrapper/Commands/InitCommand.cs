using System.Diagnostics;
using AspireJwks.Bootstrapper.Rotation;
using AspireJwks.Bootstrapper.Writing;
using AspireJwks.KeyStore;
using AspireJwks.ServiceDefaults;
using Microsoft.Extensions.Logging;

namespace AspireJwks.Bootstrapper.Commands;

/// <summary>
/// <c>init</c>: creates the store when there is none, otherwise checks it. On an existing store it
/// only updates what the AppHost's parameters own (the policy), encrypts plain private keys when a
/// passphrase is now set, and re-derives a stale <c>jwks.json</c>; it never replaces a key, which
/// would silently invalidate every token in flight.
/// </summary>
internal sealed class InitCommand(KeyStoreEditor editor, ILogger<InitCommand> logger)
{
    public void Run(KeyStoreLayout layout, KeyStorePolicy policy)
    {
        if (policy.Problems() is [var problem, ..])
        {
            throw new KeyStoreException($"Invalid key store policy: {problem}.");
        }
        if (KeyStoreReader.ManifestExists(layout))
        {
            UpdateExisting(layout, policy);
        }
        else
        {
            CreateNew(layout, policy);
        }
    }

    private void UpdateExisting(KeyStoreLayout layout, KeyStorePolicy policy)
    {
        using var activity = JwksTelemetry.Bootstrapper.StartActivity(JwksTelemetry.Spans.KeysLoad);
        using var storeLock = editor.Lock(layout);
        var now = editor.Time.GetUtcNow();
        var store = KeyStoreReader.Load(layout, now, editor.Passphrase);
        foreach (var key in store.Keys)
        {
            activity?.AddEvent(new ActivityEvent("key.loaded", tags: new() { [JwksTelemetry.Attributes.Kid] = key.Kid }));
            logger.LogInformation("Loaded signing key {Kid} ({Alg}) from {KeysDirectory}", key.Kid, key.Entry.Alg, layout.Directory);
        }

        var manifest = ManifestChanges.WithPolicy(store.Manifest, policy);
        var toEncrypt = editor.Passphrase is null
            ? []
            : store.Keys.Where(key => !key.EncryptedAtRest).Select(key => new NewKey(key.Kid, key.PrivateKey)).ToList();
        if (manifest != store.Manifest || toEncrypt.Count > 0)
        {
            editor.Commit(layout, store, manifest, toEncrypt, now);
            logger.LogInformation("Updated the key store policy to {Policy}; encrypted {Count} private key(s)", policy, toEncrypt.Count);
            return;
        }

        var jwks = store.ToJwks(now).ToUtf8Json();
        if (!File.Exists(layout.JwksPath) || !File.ReadAllBytes(layout.JwksPath).AsSpan().SequenceEqual(jwks))
        {
            // jwks.json is derived from the manifest at a moment; re-deriving it changes no key.
            KeyStoreWriter.WriteJwks(layout, store.ToJwks(now));
            logger.LogInformation("Re-derived {JwksPath} from the manifest", layout.JwksPath);
        }
    }

    private void CreateNew(KeyStoreLayout layout, KeyStorePolicy policy)
    {
        if (File.Exists(layout.JwksPath))
        {
            throw new KeyStoreException(
                $"{layout.ManifestPath} is missing but {layout.JwksPath} exists; refusing to create keys over an existing store.");
        }

        using var activity = JwksTelemetry.Bootstrapper.StartActivity(JwksTelemetry.Spans.KeysGenerate);
        KeyStoreWriter.EnsureDirectory(layout);
        using var storeLock = editor.Lock(layout);
        if (KeyStoreReader.ManifestExists(layout))
        {
            throw new KeyStoreException($"{layout.ManifestPath} was created by another command meanwhile; run init again.");
        }

        var now = editor.Time.GetUtcNow();
        var key = NewKey.Generate(policy);
        using var privateKey = key.PrivateKey;
        var kid = key.Kid;
        var manifest = ManifestChanges.Create(new ManifestKey(kid, policy.SigningAlgorithm, CreatedAt: now, ActivatesAt: now), policy);
        editor.Commit(layout, current: null, manifest, [key], now);

        activity?.SetTag(JwksTelemetry.Attributes.Kid, kid);
        activity?.SetTag(JwksTelemetry.Attributes.Alg, policy.SigningAlgorithm);
        logger.LogInformation("Generated signing key {Kid} ({Alg}) in {KeysDirectory}{Encryption}",
            kid, policy.SigningAlgorithm, layout.Directory, editor.Passphrase is null ? "" : ", encrypted at rest");
    }
}
