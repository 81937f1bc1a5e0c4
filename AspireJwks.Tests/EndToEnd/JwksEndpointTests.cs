using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Tests.EndToEnd;

[Collection(AppHostCollection.Name)]
public sealed class JwksEndpointTests(AppHostFixture fixture)
{
    private static readonly string[] PrivateRsaMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

    [Fact]
    public async Task Jwks_lists_each_key_once_with_use_alg_and_kid()
    {
        var keys = await GetKeysAsync();

        Assert.NotEmpty(keys);
        Assert.Equal(keys.Count, keys.Select(key => key.GetProperty("kid").GetString()).Distinct().Count());
        Assert.All(keys, key =>
        {
            Assert.Equal("RSA", key.GetProperty("kty").GetString());
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.Equal("RS256", key.GetProperty("alg").GetString());
            Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        });
    }

    [Fact]
    public async Task Jwks_kid_is_the_rfc7638_thumbprint_of_the_key()
    {
        foreach (var key in await GetKeysAsync())
        {
            // RFC 7638 section 3.3: SHA-256 over the required members in lexicographic order, no whitespace.
            var canonical = $"{{\"e\":\"{key.GetProperty("e").GetString()}\",\"kty\":\"RSA\",\"n\":\"{key.GetProperty("n").GetString()}\"}}";
            var thumbprint = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

            Assert.Equal(thumbprint, key.GetProperty("kid").GetString());
        }
    }

    [Fact]
    public async Task Jwks_has_no_private_members_and_moduli_of_at_least_2048_bits()
    {
        foreach (var key in await GetKeysAsync())
        {
            var members = key.EnumerateObject().Select(member => member.Name).ToList();
            Assert.Empty(members.Intersect(PrivateRsaMembers));
            Assert.True(Base64UrlEncoder.DecodeBytes(key.GetProperty("n").GetString()).Length * 8 >= 2048);
        }
    }

    [Fact]
    public async Task Jwks_is_json_cacheable_and_answers_304_to_its_etag()
    {
        using var response = await fixture.Auth.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.MaxAge > TimeSpan.Zero);
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);

        using var revalidation = new HttpRequestMessage(HttpMethod.Get, "/.well-known/jwks.json");
        revalidation.Headers.IfNoneMatch.Add(etag);
        using var notModified = await fixture.Auth.SendAsync(revalidation);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/.well-known/jwks.json");
        stale.Headers.IfNoneMatch.ParseAdd("\"some-other-version\"");
        using var changed = await fixture.Auth.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task Jwks_matches_the_key_store_and_its_private_key_file_is_mode_0600()
    {
        var keys = await GetKeysAsync();
        var storeJwks = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(fixture.KeysDirectory, "jwks.json")));

        foreach (var key in keys)
        {
            var kid = key.GetProperty("kid").GetString()!;
            Assert.Contains(storeJwks.RootElement.GetProperty("keys").EnumerateArray(), stored => stored.GetProperty("kid").GetString() == kid);
            var privateKeyFile = Path.Combine(fixture.KeysDirectory, $"{kid}.private.pem");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privateKeyFile));
        }
    }

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/oauth-authorization-server")]
    public async Task Discovery_documents_name_the_issuer_jwks_and_token_endpoint(string path)
    {
        using var document = JsonDocument.Parse(await fixture.Auth.GetStringAsync(path));
        var metadata = document.RootElement;

        var issuer = metadata.GetProperty("issuer").GetString()!;
        Assert.Equal($"{issuer}/.well-known/jwks.json", metadata.GetProperty("jwks_uri").GetString());
        Assert.Equal($"{issuer}/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal(["client_credentials"], metadata.GetProperty("grant_types_supported").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["client_secret_basic", "client_secret_post", "private_key_jwt"],
            metadata.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(v => v.GetString()));
        // RFC 8414 and RFC 9449 5.1: what client assertions and DPoP proofs may be signed with; never none or HMAC.
        Assert.Equal(["ES256", "PS256", "RS256"],
            metadata.GetProperty("token_endpoint_auth_signing_alg_values_supported").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["ES256", "PS256", "RS256"],
            metadata.GetProperty("dpop_signing_alg_values_supported").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("RS256", metadata.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(v => v.GetString()));
        // Every scope of every registered API (the demo API and the fixture's second one), in ordinal order.
        Assert.Equal(["api.read", AppHostFixture.ReportsScope], metadata.GetProperty("scopes_supported").EnumerateArray().Select(v => v.GetString()));
    }

    private async Task<List<JsonElement>> GetKeysAsync()
    {
        var document = JsonDocument.Parse(await fixture.Auth.GetStringAsync("/.well-known/jwks.json"));
        return [.. document.RootElement.GetProperty("keys").EnumerateArray()];
    }
}
