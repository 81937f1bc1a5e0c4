using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AspireJwks.Issuer.Tokens;
using AspireJwks.Protocol.DPoP;
using AspireJwks.Protocol.Replay;
using AspireJwks.Store;
using Microsoft.Extensions.DependencyInjection;

namespace AspireJwks.Tests.Store;

/// <summary>
/// The replay check in the store every replica shares, against a real Redis-protocol server
/// (Garnet, in this process): one atomic entry per jti whatever the number of concurrent uses and
/// replicas, a fixed-size key that names nothing, a store that restarts empty, and a store that
/// does not answer (refused, never let through).
/// </summary>
public sealed class StoreReplayCheckTests : IDisposable
{
    private readonly InProcessGarnet _garnet = new();

    public void Dispose() => _garnet.Dispose();

    private IReplayStore NewReplica() => _garnet.NewReplica().GetRequiredService<IReplayStore>();

    private static OneTimeJwt Proof(string jti, DateTimeOffset? issuedAt = null, string? nonce = null) =>
        new(DPoPProtocol.ProofKind, "key-thumbprint", jti, issuedAt ?? DateTimeOffset.UtcNow, nonce);

    private static OneTimeJwt Assertion(string jti, DateTimeOffset issuedAt) =>
        new(ClientAssertionValidator.AssertionKind, "client", jti, issuedAt);

    [Fact]
    public async Task Of_many_concurrent_uses_of_one_jti_across_three_replicas_exactly_one_is_fresh()
    {
        await _garnet.AgeEpochAsync();
        var replicas = Enumerable.Range(0, 3).Select(_ => NewReplica()).ToList();
        var proof = Proof("one-jti-sixty-uses");

        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(use => replicas[use % 3].EnterAsync(proof, CancellationToken.None).AsTask()));

        Assert.Single(results, result => result.Verdict == ReplayVerdict.Fresh);
        Assert.Equal(59, results.Count(result => result.Verdict == ReplayVerdict.Replayed));
        Assert.All(results, result => Assert.Equal(ReplayStores.Store, result.Store));
    }

    [Fact]
    public async Task A_jti_is_held_for_its_kinds_retention_and_then_let_go()
    {
        await _garnet.AgeEpochAsync();
        var replays = NewReplica();
        var shortLived = new OneTimeJwt(new OneTimeJwtKind("short", TimeSpan.FromMilliseconds(700), 10, null), "scope", "jti", DateTimeOffset.UtcNow);

        Assert.Equal(ReplayVerdict.Fresh, (await replays.EnterAsync(shortLived, CancellationToken.None)).Verdict);
        Assert.Equal(ReplayVerdict.Replayed, (await replays.EnterAsync(shortLived, CancellationToken.None)).Verdict);
        await Task.Delay(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(ReplayVerdict.Fresh, (await replays.EnterAsync(shortLived, CancellationToken.None)).Verdict);
    }

    [Fact]
    public async Task A_jti_is_one_entry_per_scope_and_kind()
    {
        await _garnet.AgeEpochAsync();
        var replays = NewReplica();
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(ReplayVerdict.Fresh, (await replays.EnterAsync(Proof("shared-jti"), CancellationToken.None)).Verdict);
        Assert.Equal(ReplayVerdict.Fresh, (await replays.EnterAsync(Proof("shared-jti") with { Scope = "another-key" }, CancellationToken.None)).Verdict);
        Assert.Equal(ReplayVerdict.Fresh, (await replays.EnterAsync(Assertion("shared-jti", now) with { Scope = "key-thumbprint" }, CancellationToken.None)).Verdict);
    }

    [Fact]
    public void The_stores_key_is_a_fixed_length_digest_that_names_neither_scope_nor_jti()
    {
        var longJti = new string('j', 256);
        var key = RedisReplayStore.Key(Proof(longJti) with { Scope = "a-client-id" }).ToString();

        Assert.Equal(RedisReplayStore.Key(Proof("x")).ToString().Length, key.Length);
        Assert.StartsWith("aspirejwks:jti:dpop:", key, StringComparison.Ordinal);
        Assert.DoesNotContain("jjjj", key, StringComparison.Ordinal);
        Assert.DoesNotContain("a-client-id", key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_store_restarts_empty_a_proof_made_before_needs_the_new_nonce_and_an_assertion_made_before_is_refused()
    {
        await _garnet.AgeEpochAsync();
        var replays = NewReplica();
        var before = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(2);
        var proof = Proof("proof-before-the-restart", before);
        var assertion = Assertion("assertion-before-the-restart", before);
        Assert.Equal(ReplayVerdict.Fresh, (await replays.EnterAsync(proof, CancellationToken.None)).Verdict);
        Assert.Equal(ReplayVerdict.Fresh, (await replays.EnterAsync(assertion, CancellationToken.None)).Verdict);

        _garnet.Stop();
        _garnet.Start();
        // The client reconnects by itself; the first check it answers begins the store's new life.
        var first = await AnsweredAsync(replays, Proof("after-the-restart", DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1)));
        Assert.Equal(ReplayVerdict.Fresh, first.Verdict);

        // The store forgot both jtis: the replays are caught by the restart rule instead.
        var replayedProof = await replays.EnterAsync(proof, CancellationToken.None);
        Assert.Equal(ReplayVerdict.NonceRequired, replayedProof.Verdict);
        Assert.Equal(ReplayVerdict.PredatesStore, (await replays.EnterAsync(assertion, CancellationToken.None)).Verdict);

        // The nonce exists only since the restart: a proof that carries it was made after it.
        Assert.False(string.IsNullOrEmpty(replayedProof.Nonce));
        var withNonce = await replays.EnterAsync(Proof("a-new-proof", DateTimeOffset.UtcNow, replayedProof.Nonce), CancellationToken.None);
        Assert.Equal(ReplayVerdict.Fresh, withNonce.Verdict);
        var stale = await replays.EnterAsync(Proof("an-old-nonce", DateTimeOffset.UtcNow, "not-the-stores-nonce"), CancellationToken.None);
        Assert.Equal(ReplayVerdict.NonceRequired, stale.Verdict);
    }

    [Fact]
    public async Task A_stopped_store_is_unavailable_at_once_never_fresh()
    {
        await _garnet.AgeEpochAsync();
        var replays = NewReplica();
        Assert.Equal(ReplayVerdict.Fresh, (await replays.EnterAsync(Proof("while-up"), CancellationToken.None)).Verdict);
        _garnet.Stop();

        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(use => replays.EnterAsync(Proof($"while-down-{use}"), CancellationToken.None).AsTask()));

        Assert.All(results, result => Assert.Equal(ReplayVerdict.Unavailable, result.Verdict));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_store_that_accepts_connections_and_never_answers_is_unavailable_within_the_timeout()
    {
        // A server frozen mid-flight: its socket accepts, nothing ever comes back.
        using var hung = new TcpListener(IPAddress.Loopback, 0);
        hung.Start(backlog: 100);
        var accepted = new List<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await hung.AcceptSocketAsync());
            }
        });
        var replays = _garnet.NewReplica($"127.0.0.1:{((IPEndPoint)hung.LocalEndpoint).Port},password=x,connectTimeout=500")
            .GetRequiredService<IReplayStore>();

        var clock = Stopwatch.StartNew();
        var result = await replays.EnterAsync(Proof("into-the-void"), CancellationToken.None);

        Assert.Equal(ReplayVerdict.Unavailable, result.Verdict);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    /// <summary>Checks <paramref name="jwt"/> until the store answers (at most 10 s), as requests would after a restart.</summary>
    private static async Task<ReplayResult> AnsweredAsync(IReplayStore replays, OneTimeJwt jwt)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var result = await replays.EnterAsync(jwt with { Jti = Guid.NewGuid().ToString("N") }, CancellationToken.None);
            if (result.Verdict != ReplayVerdict.Unavailable || DateTimeOffset.UtcNow > deadline)
            {
                return result;
            }
            await Task.Delay(100);
        }
    }
}
