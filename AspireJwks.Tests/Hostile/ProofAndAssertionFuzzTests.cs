using System.Collections.Concurrent;
using System.Net;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// The hostile-input fuzzer on the two new JWT inputs: mutated DPoP proofs at the API and at
/// <c>/token</c>, and mutated client assertions at <c>/token</c>. No variant gets a 5xx or a stack
/// trace, and none but the valid original is accepted. Seeded, so a failure replays exactly.
/// </summary>
[Collection(InProcessCollection.Name)]
public sealed class ProofAndAssertionFuzzTests(InProcessServices services) : IDisposable
{
    private const int Seed = 20261203;
    private const int Variants = 1000;

    private readonly BoundTokenTests _requests = new(services);

    [Fact]
    public async Task Mutated_dpop_proofs_at_the_api_never_get_a_5xx_and_are_never_accepted()
    {
        // An API of its own: a thousand refusals would use up the shared API's rejection-log budget,
        // which the telemetry tests of this collection read.
        await using var api = services.CreateApi(InProcessServices.ValidationCacheLifetime);
        var token = await _requests.BoundTokenAsync();
        var valid = _requests.DPoPKey.Proof("GET", BoundTokenTests.ProtectedUrl, token);

        await FuzzAsync(valid, async proof => await BoundTokenTests.CallAsync(api, "DPoP", token, proof), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Mutated_dpop_proofs_at_the_token_endpoint_never_get_a_5xx_and_are_never_accepted()
    {
        var valid = _requests.DPoPKey.Proof("POST", BoundTokenTests.TokenUrl);

        await FuzzAsync(valid, async proof => await _requests.RequestTokenAsync(proof: proof), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Mutated_client_assertions_never_get_a_5xx_and_are_never_accepted()
    {
        var valid = _requests.Assertion();

        await FuzzAsync(valid, async assertion => await _requests.RequestTokenAsync(assertion), HttpStatusCode.OK);
    }

    private static async Task FuzzAsync(string valid, Func<string, Task<HttpResponseMessage>> send, HttpStatusCode accepted)
    {
        var random = new Random(Seed);
        var variants = Enumerable.Range(0, Variants)
            .Select(i => (Index: i, Value: MalformedTokenFuzzTests.Mutate(valid, random)))
            .Where(variant => variant.Value != valid && variant.Value.Length > 0)
            .ToList();
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(variants, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (variant, cancellationToken) =>
        {
            HttpResponseMessage response;
            try
            {
                response = await send(variant.Value);
            }
            catch (FormatException)
            {
                // A value HttpClient itself will not put in a header or form: it never reaches the server.
                return;
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if ((int)response.StatusCode >= 500 || body.Contains("Exception", StringComparison.Ordinal))
                {
                    failures.Add($"variant {variant.Index}: {(int)response.StatusCode}");
                }
                if (response.StatusCode == accepted)
                {
                    failures.Add($"variant {variant.Index} was accepted");
                }
            }
        });

        Assert.Empty(failures);
    }

    public void Dispose() => _requests.Dispose();
}
