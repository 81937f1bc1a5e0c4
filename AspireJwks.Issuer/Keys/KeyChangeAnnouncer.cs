using AspireJwks.Store.KeyChanges;

namespace AspireJwks.Issuer.Keys;

/// <summary>
/// Announces on the store each load that changed the published keys (a rotation, a revocation, a
/// replica that starts), naming the kids now published, so every API drops a revoked key and every
/// other replica reloads the key store at once rather than at its next poll. Every replica
/// announces its own loads: the last announcement follows the last replica's reload, so an API that
/// fetches the JWKS after it sees what every replica now publishes.
/// </summary>
internal sealed class KeyChangeAnnouncer(SigningKeyRing keyRing, IKeyChangeChannel channel) : IHostedService
{
    private readonly Lock _gate = new();
    private string? _announcedETag;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (channel.IsShared)
        {
            keyRing.Loaded += Announce;
            // The load before this service started (the first one) is announced too.
            Announce(keyRing.Current);
        }
        return Task.CompletedTask;
    }

    private void Announce(KeyRingSnapshot snapshot)
    {
        lock (_gate)
        {
            if (snapshot.JwksETag == _announcedETag)
            {
                return;
            }
            _announcedETag = snapshot.JwksETag;
        }
        // Never awaited by the load: a store that does not answer leaves the APIs to their polling.
        _ = channel.AnnounceAsync(snapshot.PublishedKids, CancellationToken.None);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        keyRing.Loaded -= Announce;
        return Task.CompletedTask;
    }
}
