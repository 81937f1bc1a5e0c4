namespace AspireJwks.Protocol;

/// <summary>
/// The key store's bounds, checked by the key commands and, earlier, by the AppHost's parameters,
/// so that a bad value stops the AppHost naming the parameter instead of failing the key store.
/// </summary>
internal static class KeyStoreLimits
{
    /// <summary>The sizes of new RSA keys: 2048 bits at least (RFC 7518 section 3.3), larger ones for longer-lived trust.</summary>
    public static readonly IReadOnlyList<int> RsaKeySizes = [2048, 3072, 4096];

    /// <summary>The longest propagation delay or retention: beyond it a timing is a mistake, not a policy.</summary>
    public static readonly TimeSpan MaximumDuration = TimeSpan.FromDays(30);
}
