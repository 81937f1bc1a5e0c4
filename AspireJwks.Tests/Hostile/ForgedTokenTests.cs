using System.Net;
using System.Net.Sockets;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Hostile;

/// <summary>Every forged, malformed or misused token sent to the running API: 401 invalid_token, never 2xx or 5xx.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ForgedTokenTests(AppHostFixture fixture)
{
    private ForgedTokens Forge() => new(fixture.KeysDirectory, fixture.Issuer, AppHostFixture.ApiAudience);

    [Theory]
    [MemberData(nameof(ForgedTokenCatalogue.Names), MemberType = typeof(ForgedTokenCatalogue))]
    public async Task Forged_token_is_rejected_with_invalid_token(string attack)
    {
        var authorization = ForgedTokenCatalogue.Cases[attack](Forge());

        using var response = await SendAsync(authorization);

        await HostileAssert.InvalidTokenAsync(response);
    }

    [Fact]
    public async Task A_token_crafted_like_the_forgeries_but_valid_is_accepted()
    {
        // The control for every row above: the same factory, nothing altered, gets through.
        using var response = await SendAsync("Bearer " + Forge().Valid());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_issued_by_auth_is_accepted()
    {
        using var response = await SendAsync("Bearer " + await fixture.GetAccessTokenAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("api.write")]
    [InlineData("api.readonly")]
    [InlineData("API.READ")]
    [InlineData("")]
    public async Task A_valid_token_without_the_read_scope_is_forbidden_with_insufficient_scope(string scope)
    {
        var token = Forge().WithClaims(claims => claims["scope"] = scope);

        using var response = await SendAsync("Bearer " + token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"api.read\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_valid_token_without_a_scope_claim_is_forbidden()
    {
        var token = Forge().WithClaims(claims => claims.Remove("scope"));

        using var response = await SendAsync("Bearer " + token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_request_without_credentials_gets_the_bare_bearer_challenge()
    {
        using var response = await fixture.GetProtectedAsync(null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("access_token")]
    [InlineData("token")]
    public async Task A_valid_token_in_the_query_string_is_ignored(string parameter)
    {
        // RFC 6750 2.3 is not supported: URLs end up in logs, histories and Referer headers.
        using var response = await fixture.Api.GetAsync(new Uri($"/protected?{parameter}={Forge().Valid()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Jku_and_x5u_headers_are_never_fetched()
    {
        // A listener where the headers point: any connection to it is an outbound fetch by the API.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        var accepted = listener.AcceptTcpClientAsync();
        var forge = Forge();

        foreach (var token in new[]
        {
            forge.PointingAt("jku", new Uri(address, "jwks.json")),
            forge.PointingAt("x5u", new Uri(address, "cert.pem")),
            forge.WithHeader(header => header["jku"] = new Uri(address, "jwks.json").ToString()),
            forge.WithHeader(header => header["x5u"] = new Uri(address, "cert.pem").ToString()),
        })
        {
            using var response = await SendAsync("Bearer " + token);
            await HostileAssert.InvalidTokenAsync(response);
        }

        // Bounded wait for a connection that must never come.
        var first = await Task.WhenAny(accepted, Task.Delay(TimeSpan.FromSeconds(2)));
        Assert.NotSame(accepted, first);
    }

    [Fact]
    public async Task A_flood_of_unknown_kids_is_answered_401_invalid_token()
    {
        // That none of them waits on the issuer is shown where the issuer can be made to hang (IssuerFaultTests).
        var forge = Forge();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            SendAsync("Bearer " + forge.WithHeader(header => header["kid"] = ForgedTokens.RandomKid()))));

        foreach (var response in responses)
        {
            await HostileAssert.InvalidTokenAsync(response);
            response.Dispose();
        }
    }

    private Task<HttpResponseMessage> SendAsync(string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));
        return fixture.Api.SendAsync(request);
    }
}

/// <summary>What every refused token gets: 401, the RFC 6750 challenge, and nothing that explains the failure.</summary>
public static class HostileAssert
{
    public static async Task InvalidTokenAsync(HttpResponseMessage response)
    {
        Assert.True((int)response.StatusCode < 500, $"server error {(int)response.StatusCode}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }
}
