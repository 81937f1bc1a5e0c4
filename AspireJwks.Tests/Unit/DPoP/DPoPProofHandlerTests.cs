using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AspireJwks.Authentication.DPoP;
using AspireJwks.Protocol.DPoP;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Unit.DPoP;

/// <summary>The client's proofs: one per request as sent, the token's hash on resource requests, and a server's nonce followed (RFC 9449 sections 8 and 9).</summary>
public sealed class DPoPProofHandlerTests : IDisposable
{
    private readonly DPoPProofSigner _signer = new(TimeProvider.System);

    [Fact]
    public async Task Each_request_gets_a_fresh_proof_of_its_method_and_url_and_the_tokens_hash()
    {
        var server = new RecordingServer(_ => new HttpResponseMessage(HttpStatusCode.OK));
        using var http = new HttpClient(new DPoPProofHandler(_signer) { InnerHandler = server });

        await SendAsync(http, "http://api.test/protected?page=2", token: "the.access.token");
        await SendAsync(http, "http://api.test/protected?page=2", token: "the.access.token");

        var (first, second) = (server.Proofs[0], server.Proofs[1]);
        Assert.Equal("dpop+jwt", TokenFactory.DecodeSegment(first, 0)["typ"]!.GetValue<string>());
        var claims = TokenFactory.DecodeSegment(first, 1);
        Assert.Equal("GET", claims["htm"]!.GetValue<string>());
        Assert.Equal("http://api.test/protected", claims["htu"]!.GetValue<string>());
        Assert.Equal(Protocol.DPoP.DPoPProofValidator.AccessTokenHash("the.access.token"), claims["ath"]!.GetValue<string>());
        Assert.NotEqual(claims["jti"]!.GetValue<string>(), TokenFactory.DecodeSegment(second, 1)["jti"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_endpoint_asking_for_a_nonce_gets_the_request_again_with_it_and_later_proofs_keep_it()
    {
        var server = new RecordingServer(request => Nonce(request) == "n-1"
            ? new HttpResponseMessage(HttpStatusCode.OK)
            : NonceWanted(new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent("{\"error\":\"use_dpop_nonce\"}", Encoding.UTF8, "application/json"),
            }));
        using var http = new HttpClient(new DPoPProofHandler(_signer) { InnerHandler = server });

        using var response = await http.PostAsync(new Uri("http://auth.test/token"), new FormUrlEncodedContent([new("grant_type", "client_credentials")]));
        await SendAsync(http, "http://auth.test/token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, server.Proofs.Count);
        Assert.Null(NonceOf(server.Proofs[0]));
        Assert.Equal("n-1", NonceOf(server.Proofs[1]));
        Assert.Equal("n-1", NonceOf(server.Proofs[2]));
    }

    [Fact]
    public async Task A_resource_server_asking_for_a_nonce_in_its_challenge_gets_it()
    {
        var server = new RecordingServer(request => Nonce(request) == "n-1"
            ? new HttpResponseMessage(HttpStatusCode.OK)
            : NonceWanted(new HttpResponseMessage(HttpStatusCode.Unauthorized)
            {
                Headers = { WwwAuthenticate = { new AuthenticationHeaderValue("DPoP", "error=\"use_dpop_nonce\", algs=\"ES256\"") } },
            }));
        using var http = new HttpClient(new DPoPProofHandler(_signer) { InnerHandler = server });

        using var response = await SendAsync(http, "http://api.test/protected", token: "the.access.token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Proofs.Count);
    }

    [Fact]
    public async Task Another_refusal_is_returned_as_it_is_without_a_second_request()
    {
        var server = new RecordingServer(_ => NonceWanted(new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("{\"error\":\"invalid_dpop_proof\"}", Encoding.UTF8, "application/json"),
        }));
        using var http = new HttpClient(new DPoPProofHandler(_signer) { InnerHandler = server });

        using var response = await SendAsync(http, "http://auth.test/token");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(server.Proofs);
        Assert.Contains("invalid_dpop_proof", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpResponseMessage NonceWanted(HttpResponseMessage response)
    {
        response.Headers.Add("DPoP-Nonce", "n-1");
        return response;
    }

    private static string? Nonce(HttpRequestMessage request) => NonceOf(request.Headers.GetValues("DPoP").Single());

    private static string? NonceOf(string proof) => TokenFactory.DecodeSegment(proof, 1)["nonce"]?.GetValue<string>();

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string url, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("DPoP", token);
        }
        return await http.SendAsync(request);
    }

    public void Dispose() => _signer.Dispose();

    private sealed class RecordingServer(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<string> Proofs { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Proofs.Add(request.Headers.GetValues("DPoP").Single());
            return Task.FromResult(answer(request));
        }
    }
}
