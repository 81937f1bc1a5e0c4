using AspireJwks.Bootstrapper.Rotation;
using AspireJwks.Bootstrapper.Writing;
using AspireJwks.KeyStore;
using AspireJwks.ServiceDefaults;
using Microsoft.Extensions.Logging;

namespace AspireJwks.Bootstrapper.Commands;

/// <summary><c>rotate</c>: publishes a new key that takes over signing after the propagation delay.</summary>
internal sealed class RotateCommand(KeyStoreEditor editor, ILogger<RotateCommand> logger)
{
    public void Run(KeyStoreLayout layout)
    {
        using var activity = JwksTelemetry.Bootstrapper.StartActivity(JwksTelemetry.Spans.KeysGenerate);
        var (next, retiring) = editor.Edit(layout,
            createKeys: (store, now) =>
            {
                if (ManifestChanges.Pending(store.Manifest, now) is { } pending)
                {
                    // Refused before generating: a 4096-bit RSA key takes seconds to make for nothing.
                    throw new KeyStoreException(
                        $"A rotation is already pending: key {pending.Kid} activates at {pending.Key.ActivatesAt:O}. Rotate again after that.");
                }
                return [NewKey.Generate(store.Manifest.EffectivePolicy)];
            },
            change: (store, keys, now) =>
            {
                var entry = ManifestChanges.NextKey(store.Manifest, keys[0].Kid, now);
                return new StoreChange<(ManifestKey, StoredKey)>(
                    ManifestChanges.Rotate(store.Manifest, entry, now), keys, (entry, store.Active(now)));
            });

        activity?.SetTag(JwksTelemetry.Attributes.Kid, next.Kid);
        activity?.SetTag(JwksTelemetry.Attributes.Alg, next.Alg);
        logger.LogInformation(
            "Rotated: key {Kid} ({Alg}) is published now and signs from {ActivatesAt:O}; {Retiring} retires then",
            next.Kid, next.Alg, next.ActivatesAt, retiring.Kid);
    }
}
