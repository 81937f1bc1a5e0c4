using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// <c>POST /token</c> under misuse: every request that does not prove the client or asks for
/// something it may not have is answered with the RFC 6749 error, and never with a token.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class TokenEndpointAbuseTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_wrong_secret_is_invalid_client_with_a_basic_challenge()
    {
        using var response = await fixture.RequestTokenAsync(AppHostFixture.ClientId, "wrong-" + fixture.ClientSecret);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.StartsWith("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_client_gets_exactly_the_answer_of_a_wrong_secret()
    {
        using var unknown = await fixture.RequestTokenAsync("no-such-client", fixture.ClientSecret);
        using var wrongSecret = await fixture.RequestTokenAsync(AppHostFixture.ClientId, "wrong-" + fixture.ClientSecret);

        Assert.Equal(wrongSecret.StatusCode, unknown.StatusCode);
        Assert.Equal(await wrongSecret.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        Assert.Equal(wrongSecret.Headers.WwwAuthenticate.ToString(), unknown.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_unknown_client_and_a_wrong_secret_take_about_the_same_time()
    {
        // Interleaved samples, compared by median: a shortcut for unknown clients (or an expensive
        // check only for known ones) shows as a ratio far from 1; network noise hits both alike.
        var unknown = new List<TimeSpan>();
        var wrongSecret = new List<TimeSpan>();
        for (var i = 0; i < 30; i++)
        {
            unknown.Add(await TimeAsync(() => fixture.RequestTokenAsync("no-such-client", fixture.ClientSecret)));
            wrongSecret.Add(await TimeAsync(() => fixture.RequestTokenAsync(AppHostFixture.ClientId, "wrong-" + fixture.ClientSecret)));
        }

        var ratio = Median(unknown) / Median(wrongSecret);
        Assert.InRange(ratio, 1 / 3.0, 3.0);
    }

    [Fact]
    public async Task Missing_credentials_are_invalid_client()
    {
        using var response = await PostFormAsync(new() { ["grant_type"] = "client_credentials" });

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Basic bm8tY29sb24=")]
    [InlineData("Bearer something")]
    public async Task Malformed_basic_credentials_are_invalid_client(string authorization)
    {
        using var response = await PostFormAsync(new() { ["grant_type"] = "client_credentials" }, authorization);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Basic_and_form_credentials_at_once_are_invalid_request()
    {
        using var response = await PostFormAsync(
            new() { ["grant_type"] = "client_credentials", ["client_id"] = AppHostFixture.ClientId, ["client_secret"] = fixture.ClientSecret },
            AppHostFixture.BasicCredentials(AppHostFixture.ClientId, fixture.ClientSecret).ToString());

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Form_credentials_alone_are_accepted()
    {
        using var response = await PostFormAsync(
            new() { ["grant_type"] = "client_credentials", ["client_id"] = AppHostFixture.ClientId, ["client_secret"] = fixture.ClientSecret });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("authorization_code")]
    [InlineData("refresh_token")]
    [InlineData("urn:ietf:params:oauth:grant-type:jwt-bearer")]
    [InlineData("CLIENT_CREDENTIALS")]
    public async Task Other_grant_types_are_unsupported_grant_type(string grantType)
    {
        using var response = await fixture.RequestTokenAsync(AppHostFixture.ClientId, fixture.ClientSecret, grantType: grantType);

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task A_missing_grant_type_is_invalid_request()
    {
        using var response = await PostFormAsync([], AppHostFixture.BasicCredentials(AppHostFixture.ClientId, fixture.ClientSecret).ToString());

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("api.write")]
    [InlineData("api.read api.admin")]
    [InlineData("API.READ")]
    public async Task A_scope_not_allowed_for_the_client_is_invalid_scope(string scope)
    {
        using var response = await fixture.RequestTokenAsync(AppHostFixture.ClientId, fixture.ClientSecret, scope);

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task Requested_alg_kid_audience_and_claims_are_never_obeyed()
    {
        using var response = await PostFormAsync(
            new()
            {
                ["grant_type"] = "client_credentials",
                ["alg"] = "none",
                ["kid"] = "attacker-kid",
                ["aud"] = "another-api",
                ["audience"] = "another-api",
                ["sub"] = "admin",
                ["exp"] = "99999999999",
                ["claims"] = "{\"access_token\":{\"role\":{\"essential\":true,\"value\":\"admin\"}}}",
                ["role"] = "admin",
            },
            AppHostFixture.BasicCredentials(AppHostFixture.ClientId, fixture.ClientSecret).ToString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("access_token").GetString()!;
        var header = TokenFactory.DecodeSegment(token, 0);
        var claims = TokenFactory.DecodeSegment(token, 1);
        Assert.Equal("RS256", (string?)header["alg"]);
        Assert.NotEqual("attacker-kid", (string?)header["kid"]);
        Assert.Equal(AppHostFixture.ApiAudience, (string?)claims["aud"]);
        Assert.Equal(AppHostFixture.ClientId, (string?)claims["sub"]);
        Assert.False(claims.ContainsKey("role"));
        Assert.True((long)claims["exp"]! - (long)claims["iat"]! <= 3600);
    }

    [Theory]
    [InlineData("http://evil.example/")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("aspirejwks-api\r\nX-Injected: 1")]
    public async Task An_unknown_resource_is_invalid_target_and_not_echoed(string resource)
    {
        using var response = await PostFormAsync(
            new() { ["grant_type"] = "client_credentials", ["resource"] = resource },
            AppHostFixture.BasicCredentials(AppHostFixture.ClientId, fixture.ClientSecret).ToString());

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("evil", body, StringComparison.Ordinal);
        Assert.DoesNotContain("alert", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Injected", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Naming_another_apis_audience_gets_no_token_for_it()
    {
        // The audience is known, but the demo client has none of its scopes.
        using var response = await PostFormAsync(
            new() { ["grant_type"] = "client_credentials", ["resource"] = AppHostFixture.ReportsAudience },
            AppHostFixture.BasicCredentials(AppHostFixture.ClientId, fixture.ClientSecret).ToString());

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task A_repeated_resource_is_invalid_request()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new StringContent(
                $"grant_type=client_credentials&resource={AppHostFixture.ApiAudience}&resource={AppHostFixture.ReportsAudience}",
                Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = AppHostFixture.BasicCredentials(AppHostFixture.MultiClientId, fixture.MultiClientSecret);

        using var response = await fixture.Auth.SendAsync(request);

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_repeated_parameter_is_invalid_request()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new StringContent("grant_type=client_credentials&scope=api.read&scope=api.write", Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = AppHostFixture.BasicCredentials(AppHostFixture.ClientId, fixture.ClientSecret);

        using var response = await fixture.Auth.SendAsync(request);

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("application/json", "{\"grant_type\":\"client_credentials\"}")]
    [InlineData("text/plain", "grant_type=client_credentials")]
    [InlineData("application/x-www-form-urlencoded-not", "grant_type=client_credentials")]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--x--\r\n")]
    public async Task A_body_that_is_not_a_url_encoded_form_is_invalid_request(string contentType, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/token") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = AppHostFixture.BasicCredentials(AppHostFixture.ClientId, fixture.ClientSecret);

        using var response = await fixture.Auth.SendAsync(request);

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task An_oversized_body_is_refused_without_a_token()
    {
        using var response = await PostFormAsync(
            new() { ["grant_type"] = "client_credentials", ["padding"] = new string('a', 64 * 1024) },
            AppHostFixture.BasicCredentials(AppHostFixture.ClientId, fixture.ClientSecret).ToString());

        Assert.True((int)response.StatusCode is 400 or 413, $"status {(int)response.StatusCode}");
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Methods_other_than_post_are_not_allowed(string method)
    {
        using var response = await fixture.Auth.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/token?grant_type=client_credentials"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Errors_never_echo_the_presented_secret()
    {
        var secret = "a-secret-that-must-not-come-back-" + Guid.NewGuid().ToString("N");
        using var response = await fixture.RequestTokenAsync(AppHostFixture.ClientId, secret);

        Assert.DoesNotContain(secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, response.Headers.ToString(), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    private Task<HttpResponseMessage> PostFormAsync(Dictionary<string, string> form, string? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/token") { Content = new FormUrlEncodedContent(form) };
        if (authorization is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));
        }
        return fixture.Auth.SendAsync(request);
    }

    private static async Task AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        Assert.Equal(status, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
        Assert.False(body.RootElement.TryGetProperty("access_token", out _));
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task<HttpResponseMessage>> send)
    {
        var started = TimeProvider.System.GetTimestamp();
        using var response = await send();
        await response.Content.ReadAsByteArrayAsync();
        return TimeProvider.System.GetElapsedTime(started);
    }

    private static double Median(List<TimeSpan> samples) =>
        samples.Select(sample => sample.TotalMilliseconds).Order().ElementAt(samples.Count / 2);
}
