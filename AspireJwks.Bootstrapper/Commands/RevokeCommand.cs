using AspireJwks.Bootstrapper.Rotation;
using AspireJwks.Bootstrapper.Writing;
using AspireJwks.KeyStore;
using Microsoft.Extensions.Logging;

namespace AspireJwks.Bootstrapper.Commands;

/// <summary>
/// <c>revoke KID</c>: withdraws a key from the JWKS at once and deletes its private key. Revoking
/// the active key is the emergency case: the pending key, or a new one, signs from now on.
/// </summary>
internal sealed class RevokeCommand(KeyStoreEditor editor, ILogger<RevokeCommand> logger)
{
    public void Run(KeyStoreLayout layout, string kid)
    {
        var (wasState, successor) = editor.Edit(layout,
            createKeys: (store, now) => ManifestChanges.RevokeNeedsReplacement(store.Manifest, kid, now)
                ? [NewKey.Generate(store.Manifest.EffectivePolicy)]
                : [],
            change: (store, keys, now) =>
            {
                var state = store.Statuses(now).FirstOrDefault(status => status.Kid == kid)?.State;
                var replacement = keys is [var key]
                    ? new ManifestKey(key.Kid, store.Manifest.EffectivePolicy.SigningAlgorithm, CreatedAt: now, ActivatesAt: now)
                    : null;
                var manifest = ManifestChanges.Revoke(store.Manifest, kid, now, replacement);
                return new StoreChange<(KeyState?, KeyStatus?)>(manifest, keys, (state, KeyLifecycle.Active(KeyLifecycle.Evaluate(manifest, now))));
            });

        if (wasState == KeyState.Active)
        {
            logger.LogWarning(
                "Revoked the ACTIVE key {Kid}: tokens signed with it now fail. {Successor} signs from now on, without the propagation delay, " +
                "so validators that have not fetched it yet reject its tokens until their next JWKS refresh",
                kid, successor?.Kid);
        }
        else
        {
            logger.LogInformation("Revoked the {State} key {Kid}: it left the JWKS; tokens signed with it now fail", wasState, kid);
        }
    }
}
