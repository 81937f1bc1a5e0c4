using System.Diagnostics;
using AspireJwks.KeyStore.Writing;
using AspireJwks.Protocol;
using Microsoft.Extensions.Logging;

namespace AspireJwks.KeyStore.Commands;

/// <summary>
/// <c>init</c>: creates the store when there is none, otherwise checks it. On an existing store it
/// only updates what the AppHost's parameters own (the policy), encrypts plain private keys when a
/// passphrase is now set, and re-derives a stale <c>jwks.json</c>; it never replaces a key, which
/// would silently invalidate every token in flight.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class InitCommand(KeyStoreWriter writer, ILogger<InitCommand> logger)
{
    public void Run(KeyStoreLayout layout, KeyStorePolicy policy)
    {
        if (policy.Problems() is [var problem, ..])
        {
            throw new KeyStoreException($"Invalid key store policy: {problem}.");
        }
        if (KeyStoreReader.ManifestExists(layout))
        {
            Check(layout, policy);
        }
        else
        {
            Create(layout, policy);
        }
    }

    private void Create(KeyStoreLayout layout, KeyStorePolicy policy)
    {
        using var activity = KeyStoreInstrumentation.Source.StartActivity(KeyStoreInstrumentation.Spans.KeysGenerate);
        using var transaction = writer.Create(layout, policy);
        var kid = transaction.AddKey(policy);
        transaction.Commit(ManifestChanges.Create(ManifestChanges.FirstKey(kid, policy.SigningAlgorithm, transaction.Now), policy));

        activity?.SetTag(TelemetryAttributes.Kid, kid);
        activity?.SetTag(TelemetryAttributes.Alg, policy.SigningAlgorithm);
        logger.LogInformation("Generated signing key {Kid} ({Alg}) in {KeysDirectory}{Encryption}",
            kid, policy.SigningAlgorithm, layout.Directory, writer.Passphrase is null ? "" : ", encrypted at rest");
    }

    private void Check(KeyStoreLayout layout, KeyStorePolicy policy)
    {
        using var activity = KeyStoreInstrumentation.Source.StartActivity(KeyStoreInstrumentation.Spans.KeysLoad);
        using var transaction = writer.Open(layout);
        foreach (var key in transaction.Store.Keys)
        {
            activity?.AddEvent(new ActivityEvent("key.loaded", tags: new() { [TelemetryAttributes.Kid] = key.Kid }));
            logger.LogInformation("Loaded signing key {Kid} ({Alg}) from {KeysDirectory}", key.Kid, key.Entry.Alg, layout.Directory);
        }

        var plainKeys = writer.Passphrase is null ? [] : transaction.Store.Keys.Where(key => !key.EncryptedAtRest).ToList();
        foreach (var key in plainKeys)
        {
            transaction.EncryptAtRest(key);
        }
        switch (transaction.Commit(ManifestChanges.WithPolicy(transaction.Store.Manifest, policy)))
        {
            case CommitResult.ManifestWritten:
                logger.LogInformation("Updated the key store policy to {Policy}; encrypted {Count} private key(s)", policy, plainKeys.Count);
                break;
            case CommitResult.JwksRederived:
                // jwks.json is derived from the manifest at a moment; re-deriving it changes no key.
                logger.LogInformation("Re-derived {JwksPath} from the manifest", layout.JwksPath);
                break;
        }
    }
}
