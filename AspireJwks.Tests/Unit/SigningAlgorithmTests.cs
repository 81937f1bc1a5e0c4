using AspireJwks.Authentication.TokenValidation;
using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Options;
using AspireJwks.Issuer.Tokens;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Tests.Unit;

/// <summary>Auth's issuer signing with each algorithm's key, checked by the API's own validation parameters.</summary>
public sealed class SigningAlgorithmTests
{
    private const string Issuer = ValidationHarness.Issuer;
    private const string Audience = ValidationHarness.Audience;

    public static TheoryData<string> Algorithms => ["RS256", "PS256", "ES256"];

    public static TheoryData<string, string> AlgorithmPairs =>
        new() { { "RS256", "PS256" }, { "PS256", "RS256" }, { "RS256", "ES256" }, { "ES256", "RS256" }, { "PS256", "ES256" }, { "ES256", "PS256" } };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Tokens_signed_with_each_algorithm_are_accepted_by_the_api(string algorithm)
    {
        using var store = new KeyStoreHarness();
        store.Run("init", "--signing-algorithm", algorithm);
        var (token, jwks) = Issue(store);

        var result = await Validate(token, jwks, store.Clock.GetUtcNow());

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(algorithm, ((AccessToken)result.SecurityToken).Header.Algorithm);
        Assert.Equal(algorithm, new JsonWebKeySet(jwks).Keys.Single().Alg);
    }

    [Theory]
    [MemberData(nameof(AlgorithmPairs))]
    public async Task A_token_is_rejected_by_another_algorithms_key_even_under_its_own_kid(string signedWith, string publishedKey)
    {
        using var signer = new KeyStoreHarness();
        signer.Run("init", "--signing-algorithm", signedWith);
        using var other = new KeyStoreHarness();
        other.Run("init", "--signing-algorithm", publishedKey);
        var (token, _) = Issue(signer);
        var (_, otherJwks) = Issue(other);
        // The other key published under the signer's kid: only the key material and alg differ.
        var impostor = otherJwks.Replace(other.Manifest().Keys.Single().Kid, signer.Manifest().Keys.Single().Kid, StringComparison.Ordinal);

        var result = await Validate(token, impostor, signer.Clock.GetUtcNow());

        Assert.False(result.IsValid);
        Assert.Equal(TokenRejectionReasons.AlgNotAllowed, Assert.IsType<TokenRejectedException>(result.Exception).Reason);
    }

    [Fact]
    public async Task An_es256_store_publishes_an_ec_p256_jwk_with_an_rfc7638_kid()
    {
        using var store = new KeyStoreHarness();
        store.Run("init", "--signing-algorithm", "ES256");

        var jwk = new JsonWebKeySet(Issue(store).Jwks).Keys.Single();

        Assert.Equal(("EC", "P-256", "sig"), (jwk.Kty, jwk.Crv, jwk.Use));
        Assert.False(jwk.HasPrivateKey);
        Assert.Equal(Base64UrlEncoder.Encode(new JsonWebKey { Kty = "EC", Crv = "P-256", X = jwk.X, Y = jwk.Y }.ComputeJwkThumbprint()), jwk.Kid);
        await Task.CompletedTask;
    }

    private static (string Token, string Jwks) Issue(KeyStoreHarness store)
    {
        var clock = new FakeTimeProvider(store.Clock.GetUtcNow());
        var ring = new SigningKeyRing(clock, NullLogger<SigningKeyRing>.Instance);
        ring.Publish(store.Load());
        var options = Options.Create(new AuthOptions { Issuer = Issuer, KeysDirectory = store.Layout.Directory, TokenLifetime = TimeSpan.FromMinutes(5) });
        var token = new AccessTokenIssuer(ring, options, clock).Issue("c", new ScopeGrant(Audience, "api.read")).Token;
        return (token, System.Text.Encoding.UTF8.GetString(ring.Current.JwksJson));
    }

    /// <summary>
    /// Validates as the API does, trusting the keys of <paramref name="jwks"/> as a refresh would, at
    /// <paramref name="at"/>: the moment of the store's fake clock that dated the token.
    /// </summary>
    private static async Task<TokenValidationResult> Validate(string token, string jwks, DateTimeOffset at)
    {
        using var validation = new ValidationHarness(new FakeTimeProvider(at));
        validation.Trust(jwks);
        return await validation.ValidateAsync(token);
    }
}
