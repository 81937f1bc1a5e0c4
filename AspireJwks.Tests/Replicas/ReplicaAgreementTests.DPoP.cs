using System.Collections.Concurrent;
using System.Net;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Replicas;

/// <summary>DPoP with three api replicas: no valid request fails under load, and the replicas share one replay check in the store.</summary>
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
    public async Task One_proof_sent_to_every_api_replica_at_once_is_accepted_exactly_once_and_then_by_none()
    {
        using var key = new DPoPTestKey();
        var token = await Run.GetTokenAsync(dpop: target => key.Proof("POST", target.ToString()));
        // Every replica is reached at its own address, each request naming the AppHost's address
        // (the Host header), so the one proof is valid for all of them but for its jti.
        var proof = key.Proof("GET", ProtectedUrl(Run.Api), token);
        var replicas = fixture.ApiInstances.Select(ReplicatedAppHostFixture.Client).ToList();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 3 * replicas.Count).Select(async send =>
        {
            using var response = await CallWithProofAsync(replicas[send % replicas.Count], token, proof, CancellationToken.None, Run.Api.BaseAddress);
            return (response.StatusCode, Challenge: response.Headers.WwwAuthenticate.ToString());
        }));

        Assert.Single(statuses, status => status.StatusCode == HttpStatusCode.OK);
        Assert.All(statuses.Where(status => status.StatusCode != HttpStatusCode.OK), status =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
            Assert.Contains("error=\"invalid_dpop_proof\"", status.Challenge, StringComparison.Ordinal);
        });
        foreach (var replica in replicas)
        {
            using var again = await CallWithProofAsync(replica, token, proof, CancellationToken.None, Run.Api.BaseAddress);
            Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
            Assert.Contains("error=\"invalid_dpop_proof\"", again.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            replica.Dispose();
        }
    }

    [Fact]
    public async Task One_client_assertion_sent_to_both_auth_replicas_at_once_yields_exactly_one_token()
    {
        var assertion = await Run.ClientAssertionAsync();
        var replicas = fixture.AuthInstances.Select(ReplicatedAppHostFixture.Client).ToList();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 4 * replicas.Count).Select(async send =>
        {
            using var response = await RotatingAppHost.RequestTokenWithAssertionAsync(replicas[send % replicas.Count], assertion);
            return response.StatusCode;
        }));

        Assert.Single(statuses, status => status == HttpStatusCode.OK);
        Assert.All(statuses.Where(status => status != HttpStatusCode.OK), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        replicas.ForEach(replica => replica.Dispose());
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

    /// <param name="addressedAs">The address the request names in its Host header, when it is not the one it is sent to.</param>
    private static async Task<HttpResponseMessage> CallWithProofAsync(
        HttpClient api, string token, string proof, CancellationToken cancellationToken, Uri? addressedAs = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        if (addressedAs is not null)
        {
            request.Headers.Host = addressedAs.Authority;
        }
        request.Headers.TryAddWithoutValidation("Authorization", "DPoP " + token);
        request.Headers.TryAddWithoutValidation("DPoP", proof);
        return await api.SendAsync(request, cancellationToken);
    }
}
