using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireJwks.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// private_key_jwt and DPoP over HTTP, against Auth and an API in this process: a client that
/// proves itself with its key gets a token bound to its DPoP key, the API accepts it only with a
/// proof for that very request, and each misuse gets the status, error and challenge RFC 7523
/// and RFC 9449 give it, whether or not the validated-token cache already knows the token.
/// </summary>
[Collection(InProcessCollection.Name)]
public sealed class BoundTokenTests(InProcessServices services) : IDisposable
{
    // TestServer answers as http://localhost.
    internal const string TokenUrl = "http://localhost/token";
    internal const string ProtectedUrl = "http://localhost/protected";

    private readonly DPoPTestKey _dpop = new();

    internal DPoPTestKey DPoPKey => _dpop;

    internal string Assertion(Action<JsonObject>? change = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = InProcessServices.KeyedClientId,
            ["sub"] = InProcessServices.KeyedClientId,
            ["aud"] = InProcessServices.Issuer,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now,
            ["exp"] = now + 60,
        };
        change?.Invoke(claims);
        return HandMadeJws.Sign(new JsonObject { ["alg"] = "ES256", ["kid"] = InProcessServices.KeyedClientKid }, claims, services.KeyedClientKey);
    }

    internal async Task<HttpResponseMessage> RequestTokenAsync(string? assertion = null, string? proof = null, IDictionary<string, string>? more = null,
        AuthenticationHeaderValue? authorization = null, string? traceParent = null)
    {
        using var http = services.Auth.CreateClient();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "api.read",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion ?? Assertion(),
        };
        foreach (var (name, value) in more ?? new Dictionary<string, string>())
        {
            form[name] = value;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }
        return await http.SendAsync(request);
    }

    internal async Task<string> BoundTokenAsync()
    {
        using var response = await RequestTokenAsync(proof: _dpop.Proof("POST", TokenUrl));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("DPoP", body.RootElement.GetProperty("token_type").GetString());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    internal static Task<HttpResponseMessage> CallAsync(WebApplicationFactory<AspireJwks.Api.Endpoints.ProtectedResponse> api, string scheme, string token, params string[] proofs) =>
        CallTracedAsync(api, scheme, token, traceParent: null, proofs);

    internal static async Task<HttpResponseMessage> CallTracedAsync(
        WebApplicationFactory<AspireJwks.Api.Endpoints.ProtectedResponse> api, string scheme, string token, string? traceParent, params string[] proofs)
    {
        using var http = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }
        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");
        foreach (var proof in proofs)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }
        return await http.SendAsync(request);
    }

    private static void AssertDPoPChallenge(HttpResponseMessage response, string error)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("DPoP", challenge.Scheme);
        Assert.Contains($"error=\"{error}\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("algs=\"ES256 PS256 RS256\"", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_with_its_key_gets_a_token_bound_to_its_dpop_key_that_the_api_accepts_with_a_proof()
    {
        var token = await BoundTokenAsync();
        Assert.Equal(_dpop.Thumbprint, TokenFactory.DecodeSegment(token, 1)["cnf"]!["jkt"]!.GetValue<string>());

        using var response = await CallAsync(services.Api, "DPoP", token, _dpop.Proof("GET", ProtectedUrl, token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(InProcessServices.KeyedClientId, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_proof_the_assertion_alone_gets_a_bearer_token()
    {
        using var response = await RequestTokenAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task A_bound_token_sent_as_bearer_is_refused_even_with_a_valid_proof()
    {
        var token = await BoundTokenAsync();

        using var response = await CallAsync(services.Api, "Bearer", token, _dpop.Proof("GET", ProtectedUrl, token));

        AssertDPoPChallenge(response, "invalid_token");
    }

    [Fact]
    public async Task A_bound_token_without_a_proof_is_refused()
    {
        using var response = await CallAsync(services.Api, "DPoP", await BoundTokenAsync());

        AssertDPoPChallenge(response, "invalid_dpop_proof");
    }

    [Fact]
    public async Task A_bound_token_with_two_proofs_is_refused()
    {
        var token = await BoundTokenAsync();

        using var response = await CallAsync(services.Api, "DPoP", token, _dpop.Proof("GET", ProtectedUrl, token), _dpop.Proof("GET", ProtectedUrl, token));

        AssertDPoPChallenge(response, "invalid_dpop_proof");
    }

    public static TheoryData<string> Misused => ["replayed", "another url", "another method", "another token", "another key", "stale"];

    [Theory]
    [MemberData(nameof(Misused))]
    public async Task A_misused_proof_is_refused_with_and_without_the_validated_token_cache(string misuse)
    {
        await using var cachingApi = services.CreateApi(validationCacheLifetime: "00:01:00");
        foreach (var api in new[] { services.Api, cachingApi })
        {
            var token = await BoundTokenAsync();
            // A first, valid call: with the cache on, the token is now known valid.
            using (var first = await CallAsync(api, "DPoP", token, _dpop.Proof("GET", ProtectedUrl, token)))
            {
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            }
            using var other = new DPoPTestKey();
            var proof = misuse switch
            {
                "replayed" => null,
                "another url" => _dpop.Proof("GET", "http://localhost/public", token),
                "another method" => _dpop.Proof("POST", ProtectedUrl, token),
                "another token" => _dpop.Proof("GET", ProtectedUrl, token + "x"),
                "another key" => other.Proof("GET", ProtectedUrl, token),
                _ => _dpop.Proof("GET", ProtectedUrl, token, DateTimeOffset.UtcNow.AddMinutes(-5)),
            };
            if (proof is null)
            {
                // The very proof of a request that succeeded, sent again.
                var replayed = _dpop.Proof("GET", ProtectedUrl, token);
                using var accepted = await CallAsync(api, "DPoP", token, replayed);
                Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
                proof = replayed;
            }

            using var response = await CallAsync(api, "DPoP", token, proof);

            AssertDPoPChallenge(response, "invalid_dpop_proof");
        }
    }

    [Theory]
    [InlineData("[::1")]
    [InlineData("localhost:99999")]
    public async Task A_host_header_that_makes_no_url_is_refused_not_an_error(string host)
    {
        var token = await BoundTokenAsync();
        using var http = services.Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.TryAddWithoutValidation("Host", host);
        request.Headers.TryAddWithoutValidation("Authorization", "DPoP " + token);
        request.Headers.TryAddWithoutValidation("DPoP", _dpop.Proof("GET", ProtectedUrl, token));
        using var atApi = await http.SendAsync(request);
        AssertDPoPChallenge(atApi, "invalid_dpop_proof");

        using var auth = services.Auth.CreateClient();
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = Assertion(),
            }),
        };
        tokenRequest.Headers.TryAddWithoutValidation("Host", host);
        tokenRequest.Headers.TryAddWithoutValidation("DPoP", _dpop.Proof("POST", TokenUrl));
        using var atAuth = await auth.SendAsync(tokenRequest);
        await AssertOAuthErrorAsync(atAuth, HttpStatusCode.BadRequest, "invalid_dpop_proof");
    }

    [Fact]
    public async Task A_bound_token_without_the_scope_is_forbidden_with_a_dpop_challenge()
    {
        string token;
        using (var issued = await RequestTokenAsync(proof: _dpop.Proof("POST", TokenUrl), more: new Dictionary<string, string> { ["scope"] = "api.other" }))
        {
            using var body = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
            token = body.RootElement.GetProperty("access_token").GetString()!;
        }

        using var response = await CallAsync(services.Api, "DPoP", token, _dpop.Proof("GET", ProtectedUrl, token));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("DPoP error=\"insufficient_scope\", scope=\"api.read\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_unbound_token_sent_with_the_dpop_scheme_is_refused()
    {
        var token = await services.IssueTokenAsync(ActivityCapture.NewTrace().TraceParent);

        using var response = await CallAsync(services.Api, "DPoP", token, _dpop.Proof("GET", ProtectedUrl, token));

        AssertDPoPChallenge(response, "invalid_token");
    }

    [Fact]
    public async Task An_api_that_requires_dpop_refuses_bearer_tokens_and_challenges_for_dpop()
    {
        await using var strict = services.CreateApi(InProcessServices.ValidationCacheLifetime, requireDPoP: true);
        var bearer = await services.IssueTokenAsync(ActivityCapture.NewTrace().TraceParent);

        using var refused = await CallAsync(strict, "Bearer", bearer);
        AssertDPoPChallenge(refused, "invalid_token");

        using var http = strict.CreateClient();
        using var anonymous = await http.GetAsync(new Uri("/protected", UriKind.Relative));
        Assert.Equal("DPoP algs=\"ES256 PS256 RS256\"", anonymous.Headers.WwwAuthenticate.ToString());

        var bound = await BoundTokenAsync();
        using var accepted = await CallAsync(strict, "DPoP", bound, _dpop.Proof("GET", ProtectedUrl, bound));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task An_invalid_proof_at_the_token_endpoint_is_400_invalid_dpop_proof()
    {
        using var response = await RequestTokenAsync(proof: _dpop.Proof("POST", "http://localhost/elsewhere"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_dpop_proof", body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Two_proofs_at_the_token_endpoint_are_400_invalid_dpop_proof()
    {
        using var http = services.Auth.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = Assertion(),
            }),
        };
        request.Headers.TryAddWithoutValidation("DPoP", [_dpop.Proof("POST", TokenUrl), _dpop.Proof("POST", TokenUrl)]);

        using var response = await http.SendAsync(request);

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_dpop_proof");
    }

    [Fact]
    public async Task A_replayed_assertion_is_401_invalid_client()
    {
        var assertion = Assertion();
        using (var first = await RequestTokenAsync(assertion))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var replayed = await RequestTokenAsync(assertion);

        await AssertOAuthErrorAsync(replayed, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task An_assertion_for_another_audience_is_401_invalid_client()
    {
        using var response = await RequestTokenAsync(Assertion(claims => claims["aud"] = "http://elsewhere.test"));

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task An_assertion_together_with_a_secret_is_invalid_request()
    {
        using var inForm = await RequestTokenAsync(more: new Dictionary<string, string> { ["client_secret"] = services.ClientSecret });
        await AssertOAuthErrorAsync(inForm, HttpStatusCode.BadRequest, "invalid_request");

        using var inHeader = await RequestTokenAsync(authorization: new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{InProcessServices.ClientId}:{services.ClientSecret}"))));
        await AssertOAuthErrorAsync(inHeader, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task An_assertion_of_another_type_is_invalid_request()
    {
        using var response = await RequestTokenAsync(more: new Dictionary<string, string> { ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer" });

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    private static async Task AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        Assert.Equal(status, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
        if (status == HttpStatusCode.Unauthorized)
        {
            Assert.NotEmpty(response.Headers.WwwAuthenticate);
        }
    }

    public void Dispose() => _dpop.Dispose();
}
