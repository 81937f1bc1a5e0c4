namespace AspireJwks.KeyStore;

/// <summary>Where a key is in its life at a given moment.</summary>
internal enum KeyState
{
    /// <summary>Published, not signing yet: validators are still learning it.</summary>
    Next,
    /// <summary>The one key that signs.</summary>
    Active,
    /// <summary>Published so the tokens it signed stay valid; signs no more.</summary>
    Retired,
    /// <summary>Retention is over: no longer published.</summary>
    Gone,
    /// <summary>Withdrawn by <c>revoke</c>: not published, never signs.</summary>
    Revoked,
}

/// <param name="RetiresAt">When its successor activates; null while it has none.</param>
/// <param name="LeavesJwksAt">When retention ends; null while it has no successor.</param>
internal sealed record KeyStatus(ManifestKey Key, KeyState State, DateTimeOffset? RetiresAt, DateTimeOffset? LeavesJwksAt)
{
    public string Kid => Key.Kid;

    public bool IsPublished => State is KeyState.Next or KeyState.Active or KeyState.Retired;
}

/// <summary>
/// Derives every key's state from the manifest's dates at a moment, so the lifecycle moves on time
/// without anyone writing to the store: a key is active from its <c>activatesAt</c> until the next
/// key's, then retired for the retention time, then gone. A revoked key that had activated still
/// ends its predecessor's activity (it did replace it); one revoked before activating never existed.
/// </summary>
internal static class KeyLifecycle
{
    public static IReadOnlyList<KeyStatus> Evaluate(KeyStoreManifest manifest, DateTimeOffset now)
    {
        var retention = manifest.EffectivePolicy.Retention;
        var timeline = Timeline(manifest);
        var statuses = new Dictionary<ManifestKey, KeyStatus>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < timeline.Count; i++)
        {
            var key = timeline[i];
            DateTimeOffset? retiresAt = i + 1 < timeline.Count ? timeline[i + 1].ActivatesAt : null;
            var leavesAt = retiresAt + retention;
            statuses[key] = new KeyStatus(key, StateOf(key, retiresAt, leavesAt, now), retiresAt, leavesAt);
        }
        return [.. manifest.Keys.Select(key =>
            statuses.TryGetValue(key, out var status) ? status : new KeyStatus(key, KeyState.Revoked, null, null))];
    }

    /// <summary>The key that signs, among <paramref name="statuses"/> (the lifecycle at one moment), if any.</summary>
    public static KeyStatus? Active(IEnumerable<KeyStatus> statuses) => statuses.SingleOrDefault(status => status.State == KeyState.Active);

    /// <summary>The next moment at which some key changes state; null when none ever will without a command.</summary>
    public static DateTimeOffset? NextTransition(IEnumerable<KeyStatus> statuses, DateTimeOffset now) =>
        statuses
            .Where(status => status.State is not (KeyState.Revoked or KeyState.Gone))
            .SelectMany(status => new[] { status.Key.ActivatesAt, status.RetiresAt, status.LeavesJwksAt })
            .Where(moment => moment > now)
            .Min();

    /// <summary>Keys that ever activated (or will), in activation order; ties keep manifest order, later wins.</summary>
    private static List<ManifestKey> Timeline(KeyStoreManifest manifest) =>
        [.. manifest.Keys
            .Where(key => key.RevokedAt is not { } revokedAt || key.ActivatesAt <= revokedAt)
            .OrderBy(key => key.ActivatesAt)];

    private static KeyState StateOf(ManifestKey key, DateTimeOffset? retiresAt, DateTimeOffset? leavesAt, DateTimeOffset now) =>
        key.RevokedAt is not null ? KeyState.Revoked
        : now < key.ActivatesAt ? KeyState.Next
        : retiresAt is null || now < retiresAt ? KeyState.Active
        : now < leavesAt ? KeyState.Retired
        : KeyState.Gone;
}
