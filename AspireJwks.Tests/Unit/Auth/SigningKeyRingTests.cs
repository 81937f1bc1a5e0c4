using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Options;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AspireJwks.Tests.Unit.Auth;

public sealed class SigningKeyRingTests : IDisposable
{
    private readonly KeyStoreHarness _store = new();

    public SigningKeyRingTests() => _store.Run("init", "--propagation-delay", "00:10:00", "--retention", "00:30:00");

    public void Dispose() => _store.Dispose();

    [Fact]
    public void The_ring_switches_signing_key_and_drops_the_retired_key_on_time_without_a_reload()
    {
        var first = _store.Manifest().Keys.Single().Kid;
        _store.Run("rotate");
        var next = _store.Manifest().Keys.Single(key => key.Kid != first).Kid;
        var ring = new SigningKeyRing(_store.Clock, NullLogger<SigningKeyRing>.Instance);
        ring.Publish(_store.Load());

        Assert.Equal(first, ring.Current.ActiveKid);
        Assert.Equal([first, next], ring.Current.PublishedKids);

        _store.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(next, ring.Current.ActiveKid);
        Assert.Equal([first, next], ring.Current.PublishedKids);
        Assert.Contains(first, System.Text.Encoding.UTF8.GetString(ring.Current.JwksJson), StringComparison.Ordinal);

        _store.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(next, ring.Current.ActiveKid);
        Assert.Equal([next], ring.Current.PublishedKids);
        Assert.DoesNotContain(first, System.Text.Encoding.UTF8.GetString(ring.Current.JwksJson), StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_that_turns_invalid_is_ignored_and_the_last_valid_keys_keep_serving()
    {
        var (ring, watcher) = Watch();
        var signing = ring.Current.ActiveKid;

        File.WriteAllText(_store.Layout.ManifestPath, "{ not json");
        watcher.Check();

        Assert.Equal(signing, ring.Current.ActiveKid);
        Assert.Contains(signing, System.Text.Encoding.UTF8.GetString(ring.Current.JwksJson), StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_store_is_picked_up_by_the_next_check()
    {
        var (ring, watcher) = Watch();
        File.WriteAllText(_store.Layout.ManifestPath, "{ not json");
        watcher.Check();

        File.Delete(_store.Layout.ManifestPath);
        File.Delete(_store.Layout.JwksPath);
        _store.Run("init", "--propagation-delay", "00:10:00", "--retention", "00:30:00");
        watcher.Check();

        Assert.Equal(_store.Manifest().Keys.Single().Kid, ring.Current.ActiveKid);
    }

    [Fact]
    public async Task A_rotation_between_auths_first_load_and_the_watchers_start_is_picked_up()
    {
        var (ring, loader) = Load();
        var first = ring.Current.ActiveKid;
        _store.Run("rotate");
        var next = _store.Manifest().Keys.Single(key => key.Kid != first).Kid;

        using var watcher = new KeyStoreWatcher(loader, ring, Options.Create(new KeyStoreOptions()), _store.Clock, NullLogger<KeyStoreWatcher>.Instance);
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            watcher.Check();
            Assert.Equal([first, next], ring.Current.PublishedKids);
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Auth's first load, as at start-up.</summary>
    private (SigningKeyRing Ring, KeyStoreLoader Loader) Load()
    {
        var ring = new SigningKeyRing(_store.Clock, NullLogger<SigningKeyRing>.Instance);
        var loader = new KeyStoreLoader(ring, Options.Create(new AuthOptions { KeysDirectory = _store.Layout.Directory }),
            Options.Create(new KeyStoreOptions()), _store.Clock, NullLogger<KeyStoreLoader>.Instance);
        loader.LoadAndPublish();
        return (ring, loader);
    }

    private (SigningKeyRing Ring, KeyStoreWatcher Watcher) Watch()
    {
        var (ring, loader) = Load();
        var watcher = new KeyStoreWatcher(loader, ring, Options.Create(new KeyStoreOptions()), _store.Clock, NullLogger<KeyStoreWatcher>.Instance);
        watcher.Check();
        return (ring, watcher);
    }
}
