using AspireJwks.KeyStore.Writing;
using Microsoft.Extensions.Logging;

namespace AspireJwks.KeyStore.Commands;

/// <summary>
/// <c>revoke KID</c>: withdraws a key from the JWKS at once and deletes its private key. Revoking
/// the active key is the emergency case: the pending key, or a new one, signs from now on.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class RevokeCommand(KeyStoreWriter writer, ILogger<RevokeCommand> logger)
{
    public void Run(KeyStoreLayout layout, string kid)
    {
        using var transaction = writer.Open(layout);
        var manifest = transaction.Store.Manifest;
        var replacement = ManifestChanges.RevokeNeedsReplacement(manifest, kid, transaction.Now)
            ? transaction.AddKey(manifest.EffectivePolicy)
            : null;

        var wasState = ManifestChanges.Published(manifest, kid, transaction.Now).State;
        var revoked = ManifestChanges.Revoke(manifest, kid, transaction.Now, replacement);
        transaction.Commit(revoked);

        if (wasState == KeyState.Active)
        {
            logger.LogWarning(
                "Revoked the ACTIVE key {Kid}: tokens signed with it now fail. {Successor} signs from now on, without the propagation delay, " +
                "so validators that have not fetched it yet reject its tokens until their next JWKS refresh",
                kid, KeyLifecycle.Active(KeyLifecycle.Evaluate(revoked, transaction.Now))?.Kid);
        }
        else
        {
            logger.LogInformation("Revoked the {State} key {Kid}: it left the JWKS; tokens signed with it now fail", wasState, kid);
        }
    }
}
