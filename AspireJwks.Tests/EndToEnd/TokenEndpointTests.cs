using System.Net;
using System.Text.Json;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.EndToEnd;

[Collection(AppHostCollection.Name)]
public sealed class TokenEndpointTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Token_response_is_a_bearer_token_that_is_never_cached()
    {
        using var response = await fixture.RequestTokenAsync(AppHostFixture.ClientId, fixture.ClientSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());
        Assert.True(body.RootElement.GetProperty("expires_in").GetInt32() > 0);
        Assert.Equal("api.read", body.RootElement.GetProperty("scope").GetString());
        Assert.Equal(3, body.RootElement.GetProperty("access_token").GetString()!.Split('.').Length);
    }

    [Fact]
    public async Task Access_token_header_has_at_jwt_type_rs256_and_the_published_kid()
    {
        var token = await fixture.GetAccessTokenAsync();
        var header = TokenFactory.DecodeSegment(token, 0);
        using var jwks = JsonDocument.Parse(await fixture.Auth.GetStringAsync("/.well-known/jwks.json"));

        Assert.Equal("at+jwt", header["typ"]!.GetValue<string>());
        Assert.Equal("RS256", header["alg"]!.GetValue<string>());
        Assert.Contains(header["kid"]!.GetValue<string>(),
            jwks.RootElement.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()));
    }

    [Fact]
    public async Task Access_token_claims_follow_rfc9068()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = TokenFactory.DecodeSegment(await fixture.GetAccessTokenAsync(), 1);
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.Equal(fixture.Issuer, claims["iss"]!.GetValue<string>());
        Assert.Equal(AppHostFixture.ClientId, claims["sub"]!.GetValue<string>());
        Assert.Equal(AppHostFixture.ClientId, claims["client_id"]!.GetValue<string>());
        Assert.Equal(AppHostFixture.ApiAudience, claims["aud"]!.GetValue<string>());
        Assert.Equal("api.read", claims["scope"]!.GetValue<string>());
        var issuedAt = claims["iat"]!.GetValue<long>();
        Assert.InRange(issuedAt, before - 1, after + 1);
        Assert.Equal(issuedAt, claims["nbf"]!.GetValue<long>());
        Assert.True(claims["exp"]!.GetValue<long>() > issuedAt);
        Assert.False(string.IsNullOrEmpty(claims["jti"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Each_token_has_a_unique_jti()
    {
        var first = TokenFactory.DecodeSegment(await fixture.GetAccessTokenAsync(), 1)["jti"]!.GetValue<string>();
        var second = TokenFactory.DecodeSegment(await fixture.GetAccessTokenAsync(), 1)["jti"]!.GetValue<string>();

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Client_secret_post_authenticates_too()
    {
        using var response = await fixture.Auth.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = AppHostFixture.ClientId,
            ["client_secret"] = fixture.ClientSecret,
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(AppHostFixture.ClientId, "wrong-secret")]
    [InlineData("no-such-client", "wrong-secret")]
    public async Task Wrong_credentials_get_401_invalid_client_with_a_basic_challenge(string clientId, string secret)
    {
        using var response = await fixture.RequestTokenAsync(clientId, secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", await ErrorCodeAsync(response));
        Assert.Contains(response.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Basic");
    }

    [Fact]
    public async Task Missing_grant_type_gets_400_invalid_request()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["scope"] = "api.read" }),
        };
        request.Headers.Authorization = AppHostFixture.BasicCredentials(AppHostFixture.ClientId, fixture.ClientSecret);
        using var response = await fixture.Auth.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await ErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("password")]
    [InlineData("authorization_code")]
    [InlineData("urn:ietf:params:oauth:grant-type:jwt-bearer")]
    public async Task Unknown_grant_type_gets_400_unsupported_grant_type(string grantType)
    {
        using var response = await fixture.RequestTokenAsync(AppHostFixture.ClientId, fixture.ClientSecret, grantType: grantType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task A_scope_the_client_may_not_have_gets_400_invalid_scope()
    {
        using var response = await fixture.RequestTokenAsync(AppHostFixture.ClientId, fixture.ClientSecret, scope: "api.read api.admin");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_scope", await ErrorCodeAsync(response));
    }

    [Theory]
    [InlineData(AppHostFixture.ReportsScope, null)]
    [InlineData(null, AppHostFixture.ReportsAudience)]
    [InlineData("api.read", AppHostFixture.ReportsAudience)]
    public async Task Another_apis_scope_or_audience_gets_400_invalid_scope(string? scope, string? resource)
    {
        using var response = await fixture.RequestTokenAsync(AppHostFixture.ClientId, fixture.ClientSecret, scope, resource: resource);

        await AssertBadRequestAsync(response, "invalid_scope");
    }

    [Fact]
    public async Task An_unknown_resource_gets_400_invalid_target()
    {
        using var response = await fixture.RequestTokenAsync(
            AppHostFixture.ClientId, fixture.ClientSecret, scope: "api.read", resource: "https://unknown.example/api");

        await AssertBadRequestAsync(response, "invalid_target");
    }

    [Fact]
    public async Task The_demo_api_named_as_resource_gets_a_token_the_api_accepts()
    {
        using var response = await fixture.RequestTokenAsync(AppHostFixture.ClientId, fixture.ClientSecret, resource: AppHostFixture.ApiAudience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (token, scope) = await TokenAndScopeAsync(response);
        Assert.Equal("api.read", scope);
        Assert.Equal(AppHostFixture.ApiAudience, TokenFactory.DecodeSegment(token, 1)["aud"]!.GetValue<string>());
        using var call = await fixture.GetProtectedAsync(token);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
    }

    [Fact]
    public async Task A_client_registered_after_the_apphost_ran_gets_tokens_for_each_of_its_apis_and_each_names_one_api()
    {
        using var forApi = await fixture.RequestTokenAsync(AppHostFixture.MultiClientId, fixture.MultiClientSecret, scope: "api.read");
        using var forReports = await fixture.RequestTokenAsync(AppHostFixture.MultiClientId, fixture.MultiClientSecret, resource: AppHostFixture.ReportsAudience);

        var (apiToken, apiScope) = await TokenAndScopeAsync(forApi);
        var (reportsToken, reportsScope) = await TokenAndScopeAsync(forReports);
        Assert.Equal(("api.read", AppHostFixture.ApiAudience), (apiScope, TokenFactory.DecodeSegment(apiToken, 1)["aud"]!.GetValue<string>()));
        Assert.Equal((AppHostFixture.ReportsScope, AppHostFixture.ReportsAudience),
            (reportsScope, TokenFactory.DecodeSegment(reportsToken, 1)["aud"]!.GetValue<string>()));
        using var accepted = await fixture.GetProtectedAsync(apiToken);
        using var otherAudience = await fixture.GetProtectedAsync(reportsToken);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherAudience.StatusCode);
    }

    [Fact]
    public async Task Scopes_of_two_apis_in_one_request_get_400_invalid_scope()
    {
        using var response = await fixture.RequestTokenAsync(
            AppHostFixture.MultiClientId, fixture.MultiClientSecret, scope: $"api.read {AppHostFixture.ReportsScope}");

        await AssertBadRequestAsync(response, "invalid_scope");
    }

    [Fact]
    public async Task No_scope_for_a_client_of_two_apis_gets_400_invalid_scope_asking_for_a_scope_or_a_resource()
    {
        using var response = await fixture.RequestTokenAsync(AppHostFixture.MultiClientId, fixture.MultiClientSecret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_scope", body.RootElement.GetProperty("error").GetString());
        Assert.Contains("name a scope or a resource", body.RootElement.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(string Token, string Scope)> TokenAndScopeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("access_token").GetString()!;
        var scope = body.RootElement.GetProperty("scope").GetString()!;
        Assert.Equal(scope, TokenFactory.DecodeSegment(token, 1)["scope"]!.GetValue<string>());
        return (token, scope);
    }

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string error)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, await ErrorCodeAsync(response));
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetString();
    }
}
