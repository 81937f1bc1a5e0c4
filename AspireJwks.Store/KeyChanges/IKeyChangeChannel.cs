namespace AspireJwks.Store.KeyChanges;

/// <summary>
/// Where the issuer announces that its published keys changed (a rotation, a revocation), so every
/// API and every other issuer replica acts on it at once instead of at its next poll. An
/// announcement names the kids now published; it carries no key material, and it is only ever a
/// reason to act sooner: a validator drops keys no longer named and fetches the JWKS, which stays
/// the one source of keys. Without a store, nothing is announced and polling is the bound.
/// </summary>
internal interface IKeyChangeChannel
{
    /// <summary>Whether announcements reach other processes (a store is configured).</summary>
    bool IsShared { get; }

    /// <summary>Announces the kids the issuer publishes now. Never throws: a failed announcement leaves polling to do the work.</summary>
    Task AnnounceAsync(IReadOnlyCollection<string> publishedKids, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onAnnouncement"/> with the published kids of every announcement, this process's own included.</summary>
    void Subscribe(Action<IReadOnlyList<string>> onAnnouncement);
}

/// <summary>The channel of a service given no store: announcements go nowhere, polling is the bound.</summary>
internal sealed class NoKeyChangeChannel : IKeyChangeChannel
{
    public bool IsShared => false;

    public Task AnnounceAsync(IReadOnlyCollection<string> publishedKids, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Subscribe(Action<IReadOnlyList<string>> onAnnouncement)
    {
    }
}
