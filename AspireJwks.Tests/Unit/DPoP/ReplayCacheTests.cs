using AspireJwks.Protocol.Replay;
using Microsoft.Extensions.Time.Testing;

namespace AspireJwks.Tests.Unit.DPoP;

public sealed class ReplayCacheTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(70);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public void A_jti_is_fresh_once_and_a_replay_after_that_within_its_scope_only()
    {
        var cache = new ReplayCache(Retention, 10, _clock);

        Assert.Equal(ReplayCheck.Fresh, cache.TryEnter("client-a", "jti-1"));
        Assert.Equal(ReplayCheck.Replayed, cache.TryEnter("client-a", "jti-1"));
        Assert.Equal(ReplayCheck.Fresh, cache.TryEnter("client-b", "jti-1"));
    }

    [Fact]
    public void A_jti_is_held_for_at_least_one_retention_whenever_it_was_entered()
    {
        var cache = new ReplayCache(Retention, 10, _clock);
        _clock.Advance(Retention - TimeSpan.FromSeconds(1));
        cache.TryEnter("s", "late-in-its-generation");

        _clock.Advance(Retention);

        Assert.Equal(ReplayCheck.Replayed, cache.TryEnter("s", "late-in-its-generation"));
    }

    [Fact]
    public void Jtis_older_than_two_retentions_are_forgotten_and_free_their_room()
    {
        var cache = new ReplayCache(Retention, 2, _clock);
        cache.TryEnter("s", "a");
        cache.TryEnter("s", "b");
        Assert.Equal(ReplayCheck.Full, cache.TryEnter("s", "c"));

        _clock.Advance(2 * Retention);

        Assert.Equal(ReplayCheck.Fresh, cache.TryEnter("s", "c"));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void A_full_cache_refuses_new_jtis_and_still_recognises_replays()
    {
        var cache = new ReplayCache(Retention, 1, _clock);
        cache.TryEnter("s", "a");

        Assert.Equal(ReplayCheck.Full, cache.TryEnter("s", "b"));
        Assert.Equal(ReplayCheck.Replayed, cache.TryEnter("s", "a"));
    }
}
