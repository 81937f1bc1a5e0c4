using System.Security.Claims;
using System.Security.Cryptography;
using AspireJwks.Authentication.TokenValidation;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Tests.Unit.TokenValidation;

/// <summary>
/// The validated-token cache reuses a validation for the exact same token only, never past its
/// lifetime or the token's exp, never for a key the JWKS dropped, and never beyond its size.
/// </summary>
public sealed class ValidatedTokenCacheTests : IDisposable
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _kid = ForgedTokens.RandomKid();
    private readonly ValidationHarness _validation;
    private readonly ValidatedTokenCache _cache;
    private readonly TokenFactory _tokens;

    public ValidatedTokenCacheTests()
    {
        _validation = new ValidationHarness(_clock, validationCacheLifetime: CacheLifetime);
        _validation.Trust(JwksDocuments.Set(JwksDocuments.RsaKey(_kid, _key)));
        _cache = new ValidatedTokenCache(_validation.Options, _validation.Keys, _clock);
        _tokens = new TokenFactory(_key, _kid, ValidationHarness.Issuer, ValidationHarness.Audience, _clock);
    }

    public void Dispose()
    {
        _cache.Dispose();
        _validation.Dispose();
        _key.Dispose();
    }

    [Fact]
    public async Task A_validation_is_reused_for_the_exact_same_token_and_no_other()
    {
        var token = await ValidatedAndCachedAsync(_tokens.Create());

        Assert.True(_cache.TryGet(token, out var hit));
        Assert.Equal("e2e-client", hit!.CreatePrincipal().FindFirstValue("client_id"));
        // Same claims, another signature spelling or one character off: another token, not a hit.
        Assert.False(_cache.TryGet(token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), out _));
        Assert.False(_cache.TryGet(token + ".", out _));
    }

    [Fact]
    public async Task Each_hit_gets_a_principal_of_its_own()
    {
        var token = await ValidatedAndCachedAsync(_tokens.Create());
        Assert.True(_cache.TryGet(token, out var hit));

        var first = hit!.CreatePrincipal();
        ((ClaimsIdentity)first.Identity!).AddClaim(new Claim("added", "by application code"));

        Assert.Null(hit.CreatePrincipal().FindFirst("added"));
    }

    [Fact]
    public async Task A_validation_is_reused_no_longer_than_the_cache_lifetime()
    {
        var token = await ValidatedAndCachedAsync(_tokens.Create());

        _clock.Advance(CacheLifetime - TimeSpan.FromSeconds(1));
        Assert.True(_cache.TryGet(token, out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_cache.TryGet(token, out _));
    }

    [Fact]
    public async Task An_expired_token_is_never_answered_from_the_cache()
    {
        using var validation = new ValidationHarness(_clock, validationCacheLifetime: TimeSpan.FromHours(1));
        validation.Trust(JwksDocuments.Set(JwksDocuments.RsaKey(_kid, _key)));
        using var longCache = new ValidatedTokenCache(validation.Options, validation.Keys, _clock);
        var token = _tokens.Create(claims: _tokens.Claims(lifetime: TimeSpan.FromSeconds(10)));
        var result = await validation.ValidateAsync(token);
        longCache.Add(token, (AccessToken)result.SecurityToken, result.ClaimsIdentity);

        // Exactly the lifetime a full validation allows: exp plus the clock skew.
        _clock.Advance(TimeSpan.FromSeconds(10) + ClockSkew - TimeSpan.FromSeconds(1));
        Assert.True(longCache.TryGet(token, out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(longCache.TryGet(token, out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False((await validation.ValidateAsync(token)).IsValid);
    }

    [Fact]
    public async Task A_key_that_leaves_the_jwks_takes_its_cached_tokens_with_it_at_once()
    {
        var token = await ValidatedAndCachedAsync(_tokens.Create());
        using var other = RSA.Create(2048);

        _validation.Trust(JwksDocuments.Set(JwksDocuments.RsaKey(ForgedTokens.RandomKid(), other)));

        Assert.False(_cache.TryGet(token, out _));
        await Eventually.TrueAsync(() => _cache.Count == 0, TimeSpan.FromSeconds(5), "the revoked key's entries should be evicted");
    }

    [Fact]
    public async Task A_key_that_stays_in_the_jwks_keeps_its_cached_tokens()
    {
        var token = await ValidatedAndCachedAsync(_tokens.Create());
        using var next = RSA.Create(2048);

        _validation.Trust(JwksDocuments.Set(JwksDocuments.RsaKey(_kid, _key), JwksDocuments.RsaKey(ForgedTokens.RandomKid(), next)));

        Assert.True(_cache.TryGet(token, out _));
    }

    [Fact]
    public void A_flood_of_distinct_valid_tokens_keeps_the_cache_within_its_bound()
    {
        var reader = new AccessTokenReader(_validation.Options, _clock);
        Assert.True(_validation.Keys.Current.TryGet(_kid, out var key));
        // The cache is not where signatures are checked; any well-formed token stands for a valid one here.
        var signature = Base64UrlEncoder.Encode(new byte[256]);
        var header = TokenFactory.Encode(_tokens.Header());
        var identity = new ClaimsIdentity("Bearer");

        for (var i = 0; i < ValidatedTokenCache.MaxEntries + 500; i++)
        {
            var token = $"{header}.{TokenFactory.Encode(_tokens.Claims())}.{signature}";
            var (read, _) = reader.Read(token);
            read!.SigningKey = key.SecurityKey;
            _cache.Add(token, read, identity);
        }

        Assert.InRange(_cache.Count, 1, ValidatedTokenCache.MaxEntries);
    }

    [Fact]
    public async Task With_a_lifetime_of_zero_nothing_is_cached()
    {
        using var off = new ValidatedTokenCache(
            new ValidationHarness(_clock, validationCacheLifetime: TimeSpan.Zero).Options, _validation.Keys, _clock);
        var token = _tokens.Create();
        var result = await _validation.ValidateAsync(token);

        off.Add(token, (AccessToken)result.SecurityToken, result.ClaimsIdentity);

        Assert.False(off.Enabled);
        Assert.False(off.TryGet(token, out _));
    }

    private async Task<string> ValidatedAndCachedAsync(string token)
    {
        var result = await _validation.ValidateAsync(token);
        Assert.True(result.IsValid, result.Exception?.Message);
        _cache.Add(token, (AccessToken)result.SecurityToken, result.ClaimsIdentity);
        return token;
    }
}
