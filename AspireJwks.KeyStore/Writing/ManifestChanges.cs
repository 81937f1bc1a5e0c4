using AspireJwks.Protocol;

namespace AspireJwks.KeyStore.Writing;

/// <summary>
/// The store's changes as pure functions from one manifest to the next at a given moment, so every
/// rule of rotation and revocation is tested with a fake clock and no disk.
/// </summary>
internal static class ManifestChanges
{
    /// <summary>
    /// How far back the activation of a key that must sign at once is dated (the first key, and the
    /// successor of a revoked active key), so that a clock stepped back by up to this much (an NTP
    /// correction, a resumed virtual machine) still finds it active: Auth would otherwise refuse
    /// to start, or go on signing with the revoked key until the clock caught up. It is the
    /// protocol's clock skew: a validator already accepts a token's dates that far off.
    /// </summary>
    public static readonly TimeSpan ClockStepTolerance = AccessTokenProtocol.ClockSkew;

    public static KeyStoreManifest Create(ManifestKey first, KeyStorePolicy policy) =>
        new(KeyStoreManifest.CurrentFormatVersion, [first], policy);

    /// <summary>The first key of a new store: it signs from the start, and for <see cref="ClockStepTolerance"/> before it.</summary>
    public static ManifestKey FirstKey(string kid, string alg, DateTimeOffset now) =>
        new(kid, alg, CreatedAt: now, ActivatesAt: now - ClockStepTolerance);

    /// <summary>Replaces the policy (and upgrades an older format); never touches a key.</summary>
    public static KeyStoreManifest WithPolicy(KeyStoreManifest manifest, KeyStorePolicy policy) =>
        manifest with { FormatVersion = KeyStoreManifest.CurrentFormatVersion, Policy = policy };

    /// <summary>A new key for <see cref="Rotate"/>: published now, signing after the propagation delay.</summary>
    public static ManifestKey NextKey(KeyStoreManifest manifest, string kid, DateTimeOffset now) =>
        new(kid, manifest.EffectivePolicy.SigningAlgorithm, CreatedAt: now, ActivatesAt: now + manifest.EffectivePolicy.PropagationDelay);

    /// <summary>Adds <paramref name="next"/>; refused while an earlier rotation is still pending.</summary>
    public static KeyStoreManifest Rotate(KeyStoreManifest manifest, ManifestKey next, DateTimeOffset now)
    {
        RequireNoPendingRotation(manifest, now);
        return WithPolicy(manifest, manifest.EffectivePolicy) with { Keys = [.. manifest.Keys, next] };
    }

    /// <summary>Refuses a rotation while an earlier one is still pending, naming when it activates.</summary>
    public static void RequireNoPendingRotation(KeyStoreManifest manifest, DateTimeOffset now)
    {
        if (Pending(manifest, now) is { } pending)
        {
            throw new KeyStoreException(
                $"A rotation is already pending: key {pending.Kid} activates at {pending.Key.ActivatesAt:O}. Rotate again after that.");
        }
    }

    /// <summary>Whether revoking <paramref name="kid"/> needs a new key to take over at once: it signs and none is waiting.</summary>
    public static bool RevokeNeedsReplacement(KeyStoreManifest manifest, string kid, DateTimeOffset now) =>
        Published(manifest, kid, now).State == KeyState.Active && Pending(manifest, now) is null;

    /// <summary>
    /// Withdraws <paramref name="kid"/> from the JWKS at once. When it is the active key, the
    /// pending key (or the key <paramref name="replacementKid"/>) activates now, skipping the
    /// propagation delay: an emergency, because validators may not know the new key yet.
    /// </summary>
    public static KeyStoreManifest Revoke(KeyStoreManifest manifest, string kid, DateTimeOffset now, string? replacementKid)
    {
        var revoked = Published(manifest, kid, now);
        var pending = Pending(manifest, now);
        var successorActivatesAt = ImmediateActivation(revoked, now);
        var keys = manifest.Keys
            .Select(key => key.Kid == kid ? key with { RevokedAt = now } : key)
            .Select(key => revoked.State == KeyState.Active && key.Kid == pending?.Kid ? key with { ActivatesAt = successorActivatesAt } : key)
            .ToList();
        if (revoked.State == KeyState.Active && pending is null)
        {
            keys.Add(new ManifestKey(
                replacementKid ?? throw new ArgumentNullException(nameof(replacementKid), "Revoking the only usable key needs a replacement."),
                manifest.EffectivePolicy.SigningAlgorithm, CreatedAt: now, ActivatesAt: successorActivatesAt));
        }
        return WithPolicy(manifest, manifest.EffectivePolicy) with { Keys = keys };
    }

    /// <summary>
    /// When the successor of the revoked active key takes over: <see cref="ClockStepTolerance"/> ago,
    /// but not before the revoked key itself activated. It then comes after it on the timeline
    /// (a tie goes to the later manifest entry), so the retirement of every older key stays as dated.
    /// </summary>
    private static DateTimeOffset ImmediateActivation(KeyStatus revokedActive, DateTimeOffset now) =>
        Max(now - ClockStepTolerance, revokedActive.Key.ActivatesAt);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>
    /// Drops entries that no longer matter: keys revoked before they activated, and gone or revoked
    /// keys at the old end of the timeline (a later key's dates still time an earlier one's retirement).
    /// </summary>
    public static KeyStoreManifest Prune(KeyStoreManifest manifest, DateTimeOffset now)
    {
        var states = KeyLifecycle.Evaluate(manifest, now).ToDictionary(status => status.Kid, status => status.State, StringComparer.Ordinal);
        var dropped = manifest.Keys
            .Where(key => key.RevokedAt is { } revokedAt && key.ActivatesAt > revokedAt)
            .Select(key => key.Kid)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var key in manifest.Keys.Where(key => !dropped.Contains(key.Kid)).OrderBy(key => key.ActivatesAt))
        {
            if (states[key.Kid] is not (KeyState.Gone or KeyState.Revoked))
            {
                break;
            }
            dropped.Add(key.Kid);
        }
        return manifest with { Keys = [.. manifest.Keys.Where(key => !dropped.Contains(key.Kid))] };
    }

    /// <summary>The key waiting to activate, if a rotation is under way.</summary>
    public static KeyStatus? Pending(KeyStoreManifest manifest, DateTimeOffset now) =>
        KeyLifecycle.Evaluate(manifest, now).FirstOrDefault(status => status.State == KeyState.Next);

    /// <summary>The status of <paramref name="kid"/>, which must be published at <paramref name="now"/>.</summary>
    public static KeyStatus Published(KeyStoreManifest manifest, string kid, DateTimeOffset now) =>
        KeyLifecycle.Evaluate(manifest, now).FirstOrDefault(status => status.Kid == kid && status.IsPublished)
        ?? throw new KeyStoreException($"The store publishes no key {kid}; `list` shows the keys it has.");
}
