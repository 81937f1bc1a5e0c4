using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AspireJwks.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit.Abstractions;

namespace AspireJwks.Tests.Replicas;

/// <summary>
/// With two auth and three api processes, everything that holds for one of each still holds: the
/// auth replicas agree on keys byte for byte, tokens of either validate on every api replica, two
/// rotations under traffic through the AppHost's endpoints fail no request, and a revoked key is
/// refused by every api replica within the bound.
/// </summary>
public sealed partial class ReplicaAgreementTests(ReplicatedAppHostFixture fixture, ITestOutputHelper output) : IClassFixture<ReplicatedAppHostFixture>
{
    private static readonly TimeSpan RevocationBound = RotatingAppHost.RefreshInterval + RotatingAppHost.AuthReload + RotatingAppHost.Slack;

    private RotatingAppHost Run => fixture.Run;

    [Fact]
    public async Task Every_auth_replica_publishes_the_same_jwks_bytes_and_etag_and_signs_with_the_same_key()
    {
        var documents = new List<(byte[] Body, string? ETag, string Kid)>();
        foreach (var auth in fixture.AuthInstances)
        {
            using var http = ReplicatedAppHostFixture.Client(auth);
            using var response = await http.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            documents.Add((await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag?.Tag, new JsonWebToken(await Run.GetTokenAsync(http)).Kid));
        }

        Assert.Equal(ReplicatedAppHostFixture.AuthReplicas, documents.Count);
        Assert.All(documents, document => Assert.Equal(documents[0].Body, document.Body));
        Assert.All(documents, document => Assert.Equal(documents[0].ETag, document.ETag));
        Assert.All(documents, document => Assert.Equal(documents[0].Kid, document.Kid));
        Assert.NotNull(documents[0].ETag);
    }

    [Fact]
    public async Task A_token_from_either_auth_replica_validates_on_every_api_replica()
    {
        foreach (var auth in fixture.AuthInstances)
        {
            using var issuer = ReplicatedAppHostFixture.Client(auth);
            var token = await Run.GetTokenAsync(issuer);
            foreach (var api in fixture.ApiInstances)
            {
                using var validator = ReplicatedAppHostFixture.Client(api);
                using var response = await Run.CallApiAsync(token, validator);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{api.InstanceId} answered {response.StatusCode} to a token of {auth.InstanceId}");
            }
        }
    }

    [Fact]
    public async Task Two_rotations_under_traffic_fail_no_request_and_every_api_replica_refuses_a_revoked_key_within_the_bound()
    {
        var first = Run.ActiveKid();
        using var stop = new CancellationTokenSource();
        var calls = new ConcurrentQueue<RotationCall>();
        var traffic = Task.Run(() => Run.SendTrafficAsync(calls, stop.Token));

        var second = await Run.RotateAsync();
        await Eventually.TrueAsync(() => EveryAuthPublishesAsync(second.Kid), RotatingAppHost.AuthReload + RotatingAppHost.Slack,
            "every auth replica should publish the new key");
        await RotatingAppHost.WaitUntilAsync(second.ActivatesAt + RotatingAppHost.Slack);
        var third = await Run.RotateAsync();
        await RotatingAppHost.WaitUntilAsync(third.ActivatesAt + RotatingAppHost.Slack);
        await stop.CancelAsync();
        await traffic;

        var all = calls.ToList();
        RotatingAppHost.AssertRotatedWithoutFailure(all, first, second, third);
        output.WriteLine($"{all.Count} token+call rounds through the AppHost's endpoints during two rotations, all 200");

        // Revoke the active key: every API replica must refuse its tokens within the bound.
        var doomed = await Run.GetTokenAsync();
        Assert.Equal(third.Kid, new JsonWebToken(doomed).Kid);
        // Accepted by every replica first, so that each refusal below is the revocation's doing.
        foreach (var api in fixture.ApiInstances)
        {
            using var http = ReplicatedAppHostFixture.Client(api);
            using var accepted = await Run.CallApiAsync(doomed, http);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
        await Run.RevokeAsync(third.Kid);
        var revoked = Stopwatch.StartNew();
        foreach (var api in fixture.ApiInstances)
        {
            using var http = ReplicatedAppHostFixture.Client(api);
            await Eventually.TrueAsync(async () => (await Run.CallApiAsync(doomed, http)).StatusCode == HttpStatusCode.Unauthorized,
                RevocationBound, $"{api.InstanceId} should refuse the revoked key's token");
        }
        Assert.True(revoked.Elapsed <= RevocationBound, $"the last replica refused it after {revoked.Elapsed}");
        output.WriteLine($"every api replica refused the revoked key within {revoked.Elapsed.TotalMilliseconds:0} ms");
    }

    private async Task<bool> EveryAuthPublishesAsync(string kid)
    {
        foreach (var auth in fixture.AuthInstances)
        {
            using var http = ReplicatedAppHostFixture.Client(auth);
            if (!(await Run.JwksKidsAsync(http)).Contains(kid))
            {
                return false;
            }
        }
        return true;
    }
}
