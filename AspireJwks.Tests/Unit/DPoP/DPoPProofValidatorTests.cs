using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AspireJwks.Authentication.DPoP;
using AspireJwks.Protocol.DPoP;
using AspireJwks.Protocol.Replay;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using R = AspireJwks.Protocol.DPoP.DPoPProofReasons;

namespace AspireJwks.Tests.Unit.DPoP;

/// <summary>Each rule of a DPoP proof (RFC 9449 section 4.3), shown by the proof that breaks it and the reason it is refused with.</summary>
public sealed class DPoPProofValidatorTests : IDisposable
{
    private const string Url = "http://api.test/protected";
    private const string AccessToken = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";

    // On a whole second, as iat is: the window's edges are then exact.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private readonly MemoryReplayStore _replays;
    private readonly DPoPProofValidator _validator;
    private readonly DPoPTestKey _key = new();

    public DPoPProofValidatorTests()
    {
        _replays = new MemoryReplayStore(_clock);
        _validator = new DPoPProofValidator(_replays, _clock);
    }

    private DPoPProofContext Request(string method = "GET", string url = Url, string? token = AccessToken, string? boundTo = null) =>
        new(method, new Uri(url), token, boundTo ?? _key.Thumbprint);

    private DPoPProofResult Validate(string proof, DPoPProofContext? context = null)
    {
        return Synchronously.Result(_validator.ValidateAsync(proof, context ?? Request(), CancellationToken.None));
    }

    private string Proof(Action<JsonObject, JsonObject>? change = null, AsymmetricAlgorithm? signer = null)
    {
        var header = _key.Header();
        var claims = DPoPTestKey.Claims("GET", Url, AccessToken, _clock.GetUtcNow());
        change?.Invoke(header, claims);
        return HandMadeJws.Sign(header, claims, signer ?? _key.Key);
    }

    [Fact]
    public void A_proof_for_this_request_token_and_key_is_valid_and_names_the_keys_thumbprint()
    {
        var result = Validate(Proof());

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(_key.Thumbprint, result.Thumbprint);
    }

    [Fact]
    public void A_replayed_proof_is_refused_the_second_time()
    {
        var proof = Proof();
        Assert.True(Validate(proof).IsValid);

        Assert.Equal(R.Replayed, Validate(proof).Reason);
    }

    [Fact]
    public void A_proof_stays_refused_as_a_replay_for_as_long_as_its_iat_is_accepted()
    {
        var proof = Proof();
        Assert.True(Validate(proof).IsValid);
        _clock.Advance(DPoPProtocol.MaxProofAge);

        Assert.Equal(R.Replayed, Validate(proof).Reason);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(R.Stale, Validate(proof).Reason);
    }

    [Fact]
    public void A_refused_proof_never_enters_the_replay_cache()
    {
        Assert.Equal(R.WrongMethod, Validate(Proof(), Request(method: "POST")).Reason);

        Assert.Equal(0, _replays.Count(DPoPProtocol.ProofKind));
    }

    [Theory]
    [InlineData("POST", Url, R.WrongMethod)]
    [InlineData("get", Url, R.WrongMethod)]
    [InlineData("GET", "http://api.test/other", R.WrongUrl)]
    [InlineData("GET", "http://api.test/protected/", R.WrongUrl)]
    [InlineData("GET", "https://api.test/protected", R.WrongUrl)]
    [InlineData("GET", "http://api.test:8080/protected", R.WrongUrl)]
    [InlineData("GET", "http://evil.test/protected", R.WrongUrl)]
    public void A_proof_for_another_method_or_url_is_refused(string method, string url, string reason) =>
        Assert.Equal(reason, Validate(Proof(), Request(method, url)).Reason);

    [Theory]
    [InlineData("http://API.test/protected")]
    [InlineData("http://api.test:80/protected")]
    [InlineData("http://api.test/protected?page=2")]
    public void The_url_is_compared_after_normalisation_and_without_its_query(string requestUrl) =>
        Assert.True(Validate(Proof(), Request(url: requestUrl)).IsValid);

    [Fact]
    public void A_proof_for_another_token_is_refused() =>
        Assert.Equal(R.WrongToken, Validate(Proof(), Request(token: AccessToken + "x")).Reason);

    [Fact]
    public void A_proof_without_ath_is_refused_where_a_token_is_presented() =>
        Assert.Equal(R.WrongToken, Validate(Proof((_, claims) => claims.Remove("ath"))).Reason);

    [Fact]
    public void A_proof_by_another_key_than_the_tokens_is_refused()
    {
        using var other = new DPoPTestKey();
        var proof = other.Proof("GET", Url, AccessToken, _clock.GetUtcNow());

        Assert.Equal(R.WrongKey, Validate(proof).Reason);
    }

    [Theory]
    [InlineData(-61)]
    [InlineData(11)]
    [InlineData(3600)]
    public void A_proof_whose_iat_is_stale_or_in_the_future_is_refused(int seconds) =>
        Assert.Equal(R.Stale, Validate(Proof((_, claims) => claims["iat"] = _clock.GetUtcNow().AddSeconds(seconds).ToUnixTimeSeconds())).Reason);

    [Fact]
    public void A_proof_with_a_private_key_in_its_header_is_refused() =>
        Assert.Equal(R.BadKey, Validate(Proof((header, _) => header["jwk"] = HandMadeJws.Jwk(_key.Key, withPrivate: true))).Reason);

    [Fact]
    public void A_proof_whose_jwk_is_not_the_signing_key_fails_its_signature()
    {
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Equal(R.BadSignature, Validate(Proof(signer: attacker)).Reason);
    }

    [Fact]
    public void An_unsigned_proof_is_refused_for_its_algorithm()
    {
        var header = _key.Header();
        header["alg"] = "none";

        Assert.Equal(R.AlgNotAllowed, Validate(HandMadeJws.WithoutSignature(header, DPoPTestKey.Claims("GET", Url, AccessToken, _clock.GetUtcNow()))).Reason);
    }

    [Fact]
    public void An_hmac_proof_is_refused_for_its_algorithm()
    {
        var header = _key.Header();
        header["alg"] = "HS256";

        Assert.Equal(R.AlgNotAllowed, Validate(HandMadeJws.SignHmac(header, DPoPTestKey.Claims("GET", Url, AccessToken, _clock.GetUtcNow()), new byte[32])).Reason);
    }

    [Fact]
    public void A_small_rsa_key_is_refused()
    {
        using var rsa = RSA.Create(1024);
        var proof = Proof((header, _) => { header["alg"] = "RS256"; header["jwk"] = HandMadeJws.Jwk(rsa); }, rsa);

        Assert.Equal(R.BadKey, Validate(proof).Reason);
    }

    [Fact]
    public void An_rsa_key_of_2048_bits_signs_valid_proofs()
    {
        using var rsa = RSA.Create(2048);
        var thumbprint = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(new Microsoft.IdentityModel.Tokens.RsaSecurityKey(rsa).ComputeJwkThumbprint());
        var proof = Proof((header, _) => { header["alg"] = "PS256"; header["jwk"] = HandMadeJws.Jwk(rsa); }, rsa);

        Assert.True(Validate(proof, Request(boundTo: thumbprint)).IsValid);
    }

    [Theory]
    [InlineData("typ", "JWT")]
    [InlineData("typ", "at+jwt")]
    [InlineData("kid", "some-kid")]
    [InlineData("jku", "http://evil.test/jwks")]
    [InlineData("crit", "exp")]
    public void A_header_that_is_not_a_proofs_is_refused(string member, string value) =>
        Assert.Equal(R.Malformed, Validate(Proof((header, _) => header[member] = value)).Reason);

    [Theory]
    [InlineData("jti")]
    [InlineData("htm")]
    [InlineData("htu")]
    [InlineData("iat")]
    public void A_proof_without_a_required_claim_is_refused(string claim) =>
        Assert.NotNull(Validate(Proof((_, claims) => claims.Remove(claim))).Reason);

    [Fact]
    public void A_proof_with_a_string_iat_is_refused() =>
        Assert.Equal(R.Malformed, Validate(Proof((_, claims) => claims["iat"] = _clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))).Reason);

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c.d.e")]
    public void Garbage_is_refused_as_malformed(string proof) => Assert.Equal(R.Malformed, Validate(proof).Reason);

    public void Dispose()
    {
        _validator.Dispose();
        _key.Dispose();
    }
}
