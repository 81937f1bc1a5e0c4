using System.Collections.Concurrent;
using System.Net;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Replicas;

/// <summary>DPoP with three api replicas: no valid request fails under load, and the proof replay cache holds per replica, as docs/security.md says.</summary>
public sealed partial class ReplicaAgreementTests
{
    private const int Workers = 8;
    private const int TokensPerWorker = 10;
    private const int CallsPerToken = 4;

    [Fact]
    public async Task Under_load_through_the_apphost_every_valid_dpop_request_succeeds_on_every_replica()
    {
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Workers), async (_, cancellationToken) =>
        {
            using var key = new DPoPTestKey();
            for (var tokens = 0; tokens < TokensPerWorker; tokens++)
            {
                // A new token every few calls: the fixture's tokens live 5 s.
                var token = await Run.GetTokenAsync(dpop: target => key.Proof("POST", target.ToString()));
                for (var call = 0; call < CallsPerToken; call++)
                {
                    using var response = await CallWithProofAsync(Run.Api, token, key.Proof("GET", ProtectedUrl(Run.Api), token), cancellationToken);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Add($"{(int)response.StatusCode} {response.Headers.WwwAuthenticate}");
                    }
                }
            }
        });

        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_replayed_proof_is_accepted_at_most_once_per_api_replica()
    {
        using var key = new DPoPTestKey();
        var token = await Run.GetTokenAsync(dpop: target => key.Proof("POST", target.ToString()));
        var proof = key.Proof("GET", ProtectedUrl(Run.Api), token);

        var statuses = new List<HttpStatusCode>();
        for (var send = 0; send < 4 * ReplicatedAppHostFixture.ApiReplicas; send++)
        {
            using var response = await CallWithProofAsync(Run.Api, token, proof, CancellationToken.None);
            statuses.Add(response.StatusCode);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Contains("error=\"invalid_dpop_proof\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }
        }

        var accepted = statuses.Count(status => status == HttpStatusCode.OK);
        Assert.InRange(accepted, 1, ReplicatedAppHostFixture.ApiReplicas);
        Assert.All(statuses.Where(status => status != HttpStatusCode.OK), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
    }

    [Fact]
    public async Task A_proof_for_one_replicas_own_address_is_good_there_once_and_nowhere_else()
    {
        using var key = new DPoPTestKey();
        var token = await Run.GetTokenAsync(dpop: target => key.Proof("POST", target.ToString()));
        using var first = ReplicatedAppHostFixture.Client(fixture.ApiInstances[0]);
        using var second = ReplicatedAppHostFixture.Client(fixture.ApiInstances[1]);
        var proof = key.Proof("GET", ProtectedUrl(first), token);

        using var accepted = await CallWithProofAsync(first, token, proof, CancellationToken.None);
        using var replayed = await CallWithProofAsync(first, token, proof, CancellationToken.None);
        using var elsewhere = await CallWithProofAsync(second, token, proof, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        // Another replica's own port is another URL: the proof's htu does not name it.
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
    }

    private static string ProtectedUrl(HttpClient api) => new Uri(api.BaseAddress!, "/protected").ToString();

    private static async Task<HttpResponseMessage> CallWithProofAsync(HttpClient api, string token, string proof, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.TryAddWithoutValidation("Authorization", "DPoP " + token);
        request.Headers.TryAddWithoutValidation("DPoP", proof);
        return await api.SendAsync(request, cancellationToken);
    }
}
