using AspireJwks.KeyStore.Writing;
using AspireJwks.Protocol;
using Microsoft.Extensions.Logging;

namespace AspireJwks.KeyStore.Commands;

/// <summary><c>rotate</c>: publishes a new key that takes over signing after the propagation delay.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class RotateCommand(KeyStoreWriter writer, ILogger<RotateCommand> logger)
{
    public void Run(KeyStoreLayout layout)
    {
        using var activity = KeyStoreInstrumentation.Source.StartActivity(KeyStoreInstrumentation.Spans.KeysGenerate);
        using var transaction = writer.Open(layout);
        var manifest = transaction.Store.Manifest;
        // Refused before generating: a 4096-bit RSA key takes seconds to make for nothing.
        ManifestChanges.RequireNoPendingRotation(manifest, transaction.Now);

        var kid = transaction.AddKey(manifest.EffectivePolicy);
        var next = ManifestChanges.NextKey(manifest, kid, transaction.Now);
        var retiring = transaction.Store.Active(transaction.Now);
        transaction.Commit(ManifestChanges.Rotate(manifest, next, transaction.Now));

        activity?.SetTag(TelemetryAttributes.Kid, next.Kid);
        activity?.SetTag(TelemetryAttributes.Alg, next.Alg);
        logger.LogInformation(
            "Rotated: key {Kid} ({Alg}) is published now and signs from {ActivatesAt:O}; {Retiring} retires then",
            next.Kid, next.Alg, next.ActivatesAt, retiring.Kid);
    }
}
