using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.EndToEnd;

[Collection(AppHostCollection.Name)]
public sealed class ProtectedEndpointTests(AppHostFixture fixture)
{
    private TokenFactory Forge => TokenFactory.FromKeyStore(fixture.KeysDirectory, fixture.Issuer, AppHostFixture.ApiAudience);

    [Fact]
    public async Task A_fresh_token_from_auth_gets_200_with_the_callers_identity()
    {
        using var response = await fixture.GetProtectedAsync(await fixture.GetAccessTokenAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Protected resource accessed", body.RootElement.GetProperty("message").GetString());
        Assert.Equal(AppHostFixture.ClientId, body.RootElement.GetProperty("sub").GetString());
        Assert.Equal(AppHostFixture.ClientId, body.RootElement.GetProperty("client_id").GetString());
        Assert.Equal("api.read", body.RootElement.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_well_formed_token_signed_by_the_store_key_is_accepted()
    {
        // Guards the forging helper itself: the rejections below are only meaningful if an
        // unaltered forged token passes.
        using var response = await fixture.GetProtectedAsync(Forge.Create());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task No_token_gets_401_with_a_bare_bearer_challenge()
    {
        using var response = await fixture.GetProtectedAsync(token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().ToString());
    }

    public static TheoryData<string, Func<TokenFactory, string, string>> RejectedTokens => new()
    {
        { "malformed", (_, _) => "not-a-jwt" },
        { "payload altered", (_, token) => TokenFactory.TamperClaim(token, "scope", "api.read api.admin") },
        { "subject altered", (_, token) => TokenFactory.TamperClaim(token, "sub", "someone-else") },
        { "signature altered", (_, token) => token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA") },
        { "signature removed", (_, token) => token[..(token.LastIndexOf('.') + 1)] },
        { "expired", (forge, _) => Expired(forge) },
        { "other audience", (forge, _) => WithClaim(forge, "aud", "some-other-api") },
        { "other issuer", (forge, _) => WithClaim(forge, "iss", "http://evil.example") },
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task Invalid_tokens_get_401_invalid_token(string caseName, Func<TokenFactory, string, string> makeToken)
    {
        var token = makeToken(Forge, await fixture.GetAccessTokenAsync());

        using var response = await fixture.GetProtectedAsync(token);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{caseName}: got {(int)response.StatusCode}");
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task A_valid_token_without_api_read_gets_403_insufficient_scope()
    {
        using var response = await fixture.GetProtectedAsync(Forge.Create(claims: Forge.Claims(scope: "api.write")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.Single().ToString();
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"api.read\"", challenge, StringComparison.Ordinal);
    }

    private static string Expired(TokenFactory forge)
    {
        var claims = forge.Claims();
        var longAgo = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        claims["iat"] = longAgo;
        claims["nbf"] = longAgo;
        claims["exp"] = longAgo + 300;
        return forge.Create(claims: claims);
    }

    private static string WithClaim(TokenFactory forge, string name, JsonNode value)
    {
        var claims = forge.Claims();
        claims[name] = value;
        return forge.Create(claims: claims);
    }
}
