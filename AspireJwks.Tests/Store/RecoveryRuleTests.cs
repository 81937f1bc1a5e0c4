using AspireJwks.Issuer.Tokens;
using AspireJwks.Protocol.DPoP;
using AspireJwks.Protocol.Replay;
using AspireJwks.Store;

namespace AspireJwks.Tests.Store;

/// <summary>How a jti the store did not hold is judged while a JWT made before the store's restart could still be accepted.</summary>
public sealed class RecoveryRuleTests
{
    private static readonly DateTimeOffset Restart = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly StoreEpoch Epoch = new(Restart, "the-epoch-id");

    private static ReplayVerdict Judge(OneTimeJwtKind kind, TimeSpan madeAfterRestart, TimeSpan nowAfterRestart, string? nonce = null, bool entered = true) =>
        RedisReplayStore.Judge(new OneTimeJwt(kind, "scope", "jti", Restart + madeAfterRestart, nonce), entered, Epoch, Restart + nowAfterRestart);

    [Fact]
    public void A_replay_is_a_replay_whatever_its_age()
    {
        Assert.Equal(ReplayVerdict.Replayed, Judge(DPoPProtocol.ProofKind, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(31), entered: false));
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(0)]
    [InlineData(10)]
    public void A_proof_that_may_predate_the_restart_by_the_clock_allowance_needs_the_nonce(int madeAfterRestart)
    {
        Assert.Equal(ReplayVerdict.NonceRequired, Judge(DPoPProtocol.ProofKind, TimeSpan.FromSeconds(madeAfterRestart), TimeSpan.FromSeconds(12)));
        Assert.Equal(ReplayVerdict.Fresh, Judge(DPoPProtocol.ProofKind, TimeSpan.FromSeconds(madeAfterRestart), TimeSpan.FromSeconds(12), Epoch.Id));
    }

    [Fact]
    public void A_proof_made_after_the_clock_allowance_or_checked_after_its_retention_needs_no_nonce()
    {
        Assert.Equal(ReplayVerdict.Fresh, Judge(DPoPProtocol.ProofKind, TimeSpan.FromSeconds(11), TimeSpan.FromSeconds(12)));
        Assert.Equal(ReplayVerdict.Fresh, Judge(DPoPProtocol.ProofKind, TimeSpan.Zero, DPoPProtocol.ReplayRetention));
    }

    [Fact]
    public void An_assertion_not_made_after_the_restart_is_refused_for_the_assertions_retention()
    {
        var kind = ClientAssertionValidator.AssertionKind;
        Assert.Equal(ReplayVerdict.PredatesStore, Judge(kind, TimeSpan.Zero, TimeSpan.FromMinutes(1)));
        Assert.Equal(ReplayVerdict.PredatesStore, Judge(kind, -TimeSpan.FromMinutes(4), kind.Retention - TimeSpan.FromSeconds(1)));
        Assert.Equal(ReplayVerdict.Fresh, Judge(kind, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        Assert.Equal(ReplayVerdict.Fresh, Judge(kind, -TimeSpan.FromMinutes(4), kind.Retention));
    }

    [Fact]
    public void An_epoch_reads_back_as_written_and_a_foreign_value_is_no_epoch()
    {
        var epoch = StoreEpoch.Begin(Restart);

        Assert.Equal(epoch, StoreEpoch.From(epoch.ToValue()));
        Assert.Null(StoreEpoch.From("not an epoch"));
        Assert.Null(StoreEpoch.From(StackExchange.Redis.RedisValue.Null));
        Assert.NotEqual(epoch.Id, StoreEpoch.Begin(Restart).Id);
    }
}
