using AspireJwks.Issuer.Endpoints;
using AspireJwks.Issuer.Options;
using AspireJwks.Issuer.Registry;
using AspireJwks.Issuer.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using static Microsoft.Extensions.Options.Options;

namespace AspireJwks.Tests.Unit.Auth;

/// <summary>
/// The metadata's <c>issuer</c> is the tokens' <c>iss</c>, character for character (RFC 8414
/// section 3.3): a validator that reads it from the metadata compares the two exactly.
/// </summary>
public sealed class DiscoveryMetadataTests(TokenServiceTests.SigningKeys keys) : IClassFixture<TokenServiceTests.SigningKeys>
{
    [Theory]
    [InlineData("https://id.example.com")]
    [InlineData("https://id.example.com/")]
    [InlineData("https://example.com/identity/")]
    public void The_issuer_in_the_metadata_is_the_tokens_iss_and_the_endpoints_are_below_it(string issuer)
    {
        var settings = Create(new AuthOptions
        {
            Issuer = issuer,
            TokenLifetime = TimeSpan.FromMinutes(5),
            Apis = [new ApiSettings { Audience = "orders-api", Scopes = ["orders.read"] }],
        });
        var registry = new IssuerRegistry(settings);
        var token = new AccessTokenIssuer(keys.Ring, settings, keys.Clock).Issue("reporter", new ScopeGrant("orders-api", "orders.read"));

        var metadata = DiscoveryApi.GetMetadata(keys.Ring, registry, settings).Value!;

        Assert.Equal(new JsonWebToken(token.Token).Issuer, metadata.Issuer);
        Assert.Equal(issuer.TrimEnd('/') + "/.well-known/jwks.json", metadata.JwksUri);
        Assert.Equal(issuer.TrimEnd('/') + "/token", metadata.TokenEndpoint);
    }
}
