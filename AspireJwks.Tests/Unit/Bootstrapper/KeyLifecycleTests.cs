using AspireJwks.KeyStore;
using AspireJwks.KeyStore.Writing;
using Microsoft.Extensions.Time.Testing;

namespace AspireJwks.Tests.Unit.Bootstrapper;

public sealed class KeyLifecycleTests
{
    private static readonly KeyStorePolicy Policy = KeyStorePolicy.Default with
    {
        PropagationDelay = TimeSpan.FromMinutes(10),
        Retention = TimeSpan.FromMinutes(30),
    };

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));

    private static string Kid(char c) => new(c, 43);

    private KeyStoreManifest Initial() =>
        ManifestChanges.Create(ManifestChanges.FirstKey(Kid('A'), "RS256", _clock.GetUtcNow()), Policy);

    private KeyStoreManifest RotateNow(KeyStoreManifest manifest, char kid) =>
        ManifestChanges.Rotate(manifest, ManifestChanges.NextKey(manifest, Kid(kid), _clock.GetUtcNow()), _clock.GetUtcNow());

    private KeyState StateOf(KeyStoreManifest manifest, char kid) =>
        KeyLifecycle.Evaluate(manifest, _clock.GetUtcNow()).Single(status => status.Kid == Kid(kid)).State;

    [Fact]
    public void A_rotated_key_goes_from_next_to_active_to_retired_to_gone_on_the_policy_timings()
    {
        var manifest = RotateNow(Initial(), 'B');
        Assert.Equal((KeyState.Active, KeyState.Next), (StateOf(manifest, 'A'), StateOf(manifest, 'B')));

        _clock.Advance(Policy.PropagationDelay - TimeSpan.FromTicks(1));
        Assert.Equal((KeyState.Active, KeyState.Next), (StateOf(manifest, 'A'), StateOf(manifest, 'B')));

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal((KeyState.Retired, KeyState.Active), (StateOf(manifest, 'A'), StateOf(manifest, 'B')));

        _clock.Advance(Policy.Retention - TimeSpan.FromTicks(1));
        Assert.Equal(KeyState.Retired, StateOf(manifest, 'A'));

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal((KeyState.Gone, KeyState.Active), (StateOf(manifest, 'A'), StateOf(manifest, 'B')));
    }

    [Fact]
    public void Next_transition_is_the_earliest_pending_date()
    {
        var manifest = RotateNow(Initial(), 'B');
        var now = _clock.GetUtcNow();

        Assert.Equal(now + Policy.PropagationDelay, KeyLifecycle.NextTransition(KeyLifecycle.Evaluate(manifest, now), now));
        var afterActivation = now + Policy.PropagationDelay;
        Assert.Equal(afterActivation + Policy.Retention, KeyLifecycle.NextTransition(KeyLifecycle.Evaluate(manifest, afterActivation), afterActivation));
    }

    [Fact]
    public void A_second_rotation_while_a_key_is_pending_is_refused_with_its_activation_time()
    {
        var manifest = RotateNow(Initial(), 'B');

        var refusal = Assert.Throws<KeyStoreException>(() => RotateNow(manifest, 'C'));

        Assert.Contains(Kid('B'), refusal.Message, StringComparison.Ordinal);
        Assert.Contains((_clock.GetUtcNow() + Policy.PropagationDelay).ToString("O"), refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Revoking_the_active_key_activates_the_pending_key_at_once()
    {
        var manifest = RotateNow(Initial(), 'B');
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.False(ManifestChanges.RevokeNeedsReplacement(manifest, Kid('A'), _clock.GetUtcNow()));
        manifest = ManifestChanges.Revoke(manifest, Kid('A'), _clock.GetUtcNow(), replacementKid: null);

        Assert.Equal((KeyState.Revoked, KeyState.Active), (StateOf(manifest, 'A'), StateOf(manifest, 'B')));
    }

    [Fact]
    public void Revoking_the_only_key_makes_its_replacement_active_immediately()
    {
        var manifest = Initial();
        var now = _clock.GetUtcNow();

        Assert.True(ManifestChanges.RevokeNeedsReplacement(manifest, Kid('A'), now));
        manifest = ManifestChanges.Revoke(manifest, Kid('A'), now, Kid('R'));

        Assert.Equal((KeyState.Revoked, KeyState.Active), (StateOf(manifest, 'A'), StateOf(manifest, 'R')));
    }

    [Fact]
    public void Revoking_a_retired_key_drops_it_and_leaves_the_active_key_signing()
    {
        var manifest = RotateNow(Initial(), 'B');
        _clock.Advance(Policy.PropagationDelay);

        manifest = ManifestChanges.Revoke(manifest, Kid('A'), _clock.GetUtcNow(), replacementKid: null);

        Assert.Equal((KeyState.Revoked, KeyState.Active), (StateOf(manifest, 'A'), StateOf(manifest, 'B')));
    }

    [Fact]
    public void Revoking_the_next_key_keeps_the_active_key_active_past_the_planned_switch()
    {
        var manifest = ManifestChanges.Revoke(RotateNow(Initial(), 'B'), Kid('B'), _clock.GetUtcNow(), replacementKid: null);
        _clock.Advance(Policy.PropagationDelay + Policy.Retention);

        Assert.Equal((KeyState.Active, KeyState.Revoked), (StateOf(manifest, 'A'), StateOf(manifest, 'B')));
    }

    [Fact]
    public void A_revoked_predecessor_still_ends_the_retention_of_the_key_before_it()
    {
        var manifest = RotateNow(Initial(), 'B');
        _clock.Advance(Policy.PropagationDelay);
        var bActivated = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromMinutes(1));
        manifest = ManifestChanges.Revoke(manifest, Kid('B'), _clock.GetUtcNow(), Kid('C'));

        var a = KeyLifecycle.Evaluate(manifest, _clock.GetUtcNow()).Single(status => status.Kid == Kid('A'));

        Assert.Equal(KeyState.Retired, a.State);
        Assert.Equal(bActivated + Policy.Retention, a.LeavesJwksAt);
    }

    private static readonly TimeSpan Tolerance = ManifestChanges.ClockStepTolerance;

    private static KeyState StateAt(KeyStoreManifest manifest, char kid, DateTimeOffset moment) =>
        KeyLifecycle.Evaluate(manifest, moment).Single(status => status.Kid == Kid(kid)).State;

    [Fact]
    public void The_first_key_is_active_on_a_clock_stepped_back_by_up_to_the_api_clock_skew()
    {
        var created = _clock.GetUtcNow();
        var manifest = Initial();

        // The API accepts tokens up to its clock skew early, so a store's clock may be that far behind.
        Assert.Equal(AspireJwks.Protocol.AccessTokenProtocol.ClockSkew, Tolerance);
        Assert.Equal(KeyState.Active, StateAt(manifest, 'A', created - TimeSpan.FromSeconds(29)));
        Assert.Equal(KeyState.Active, StateAt(manifest, 'A', created - Tolerance));
        Assert.Equal(KeyState.Next, StateAt(manifest, 'A', created - Tolerance - TimeSpan.FromTicks(1)));
        Assert.Equal(created, manifest.Keys.Single().CreatedAt);
    }

    [Fact]
    public void After_revoking_the_only_key_a_clock_stepped_back_finds_the_replacement_active_and_never_the_revoked_key()
    {
        var manifest = Initial();
        _clock.Advance(TimeSpan.FromHours(1));
        var revokedAt = _clock.GetUtcNow();

        manifest = ManifestChanges.Revoke(manifest, Kid('A'), revokedAt, Kid('R'));

        var stepped = revokedAt - TimeSpan.FromSeconds(29);
        Assert.Equal((KeyState.Revoked, KeyState.Active), (StateAt(manifest, 'A', stepped), StateAt(manifest, 'R', stepped)));
        Assert.Equal((KeyState.Revoked, KeyState.Active), (StateAt(manifest, 'A', revokedAt), StateAt(manifest, 'R', revokedAt)));
        Assert.Equal(revokedAt, manifest.Keys.Single(key => key.Kid == Kid('R')).CreatedAt);
    }

    [Fact]
    public void After_revoking_the_active_key_a_clock_stepped_back_finds_the_promoted_next_key_active()
    {
        var manifest = RotateNow(Initial(), 'B');
        _clock.Advance(TimeSpan.FromMinutes(1));
        var revokedAt = _clock.GetUtcNow();

        manifest = ManifestChanges.Revoke(manifest, Kid('A'), revokedAt, replacementKid: null);

        Assert.Equal(KeyState.Active, StateAt(manifest, 'B', revokedAt - TimeSpan.FromSeconds(29)));
        Assert.Equal(KeyState.Revoked, StateAt(manifest, 'A', revokedAt - TimeSpan.FromSeconds(29)));
    }

    [Fact]
    public void A_successor_never_activates_before_the_key_it_replaces_so_older_keys_retire_as_dated()
    {
        var manifest = RotateNow(Initial(), 'B');
        _clock.Advance(Policy.PropagationDelay);
        var bActivated = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(10));

        // B has signed for 10 s, less than the tolerance: its successor cannot be dated before it.
        manifest = ManifestChanges.Revoke(manifest, Kid('B'), _clock.GetUtcNow(), Kid('C'));

        Assert.Equal(bActivated, manifest.Keys.Single(key => key.Kid == Kid('C')).ActivatesAt);
        Assert.Equal(KeyState.Active, StateAt(manifest, 'C', bActivated));
        Assert.Equal((KeyState.Active, KeyState.Next), (StateAt(manifest, 'A', bActivated - TimeSpan.FromTicks(1)), StateAt(manifest, 'C', bActivated - TimeSpan.FromTicks(1))));
        var a = KeyLifecycle.Evaluate(manifest, _clock.GetUtcNow()).Single(status => status.Kid == Kid('A'));
        Assert.Equal((KeyState.Retired, bActivated, bActivated + Policy.Retention), (a.State, a.RetiresAt, a.LeavesJwksAt));
    }

    [Fact]
    public void Pruning_drops_gone_and_revoked_keys_only_once_nothing_older_needs_their_dates()
    {
        var manifest = RotateNow(Initial(), 'B');
        _clock.Advance(Policy.PropagationDelay);
        manifest = ManifestChanges.Revoke(manifest, Kid('B'), _clock.GetUtcNow(), Kid('C'));

        // A is retired and its retention is timed by B's activation: B's entry must stay.
        Assert.Equal(3, ManifestChanges.Prune(manifest, _clock.GetUtcNow()).Keys.Count);

        _clock.Advance(Policy.Retention);
        Assert.Equal([Kid('C')], ManifestChanges.Prune(manifest, _clock.GetUtcNow()).Keys.Select(key => key.Kid));
    }
}
