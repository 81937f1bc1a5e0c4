using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AspireJwks.Issuer.Options;
using AspireJwks.Issuer.Registry;
using AspireJwks.Issuer.Tokens;
using AspireJwks.Protocol;
using AspireJwks.Protocol.Replay;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using R = AspireJwks.Issuer.Tokens.ClientAssertionReasons;

namespace AspireJwks.Tests.Unit.Auth;

/// <summary>Each rule of a private_key_jwt client assertion (RFC 7523 section 3), shown by the assertion that breaks it.</summary>
public sealed class ClientAssertionValidatorTests : IDisposable
{
    private const string Issuer = "http://auth.test";
    private const string ClientId = "keyed-client";

    private readonly ECDsa _current = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _otherClients = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private readonly ClientAssertionValidator _validator;

    public ClientAssertionValidatorTests()
    {
        var settings = Microsoft.Extensions.Options.Options.Create(new AuthOptions
        {
            Issuer = Issuer,
            Apis = [new ApiSettings { Audience = "api", Scopes = ["api.read"] }],
            Clients =
            [
                // Two keys at once: a rollover in progress.
                new ClientSettings { ClientId = ClientId, Jwks = HandMadeJws.Jwks((_current, "current"), (_next, "next")), Scopes = ["api.read"] },
                new ClientSettings { ClientId = "other-client", Jwks = HandMadeJws.Jwks((_otherClients, "other")), Scopes = ["api.read"] },
                new ClientSettings { ClientId = "secret-client", SecretSha256 = SecretDigest.Of("a-secret-of-enough-length"), Scopes = ["api.read"] },
            ],
        });
        _validator = new ClientAssertionValidator(new IssuerRegistry(settings), new MemoryReplayStore(_clock), settings, _clock);
    }

    private JsonObject Claims(string clientId = ClientId, JsonNode? audience = null)
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = clientId,
            ["sub"] = clientId,
            ["aud"] = audience ?? Issuer,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 60,
        };
    }

    private static JsonObject Header(string? kid = "current", string alg = "ES256")
    {
        var header = new JsonObject { ["alg"] = alg };
        if (kid is not null)
        {
            header["kid"] = kid;
        }
        return header;
    }

    private string? Refusal(string assertion, string? formClientId = null) => Validate(assertion, formClientId).Reason;

    private (RegisteredClient? Client, string? Reason) Validate(string assertion, string? formClientId = null)
    {
        return Synchronously.Result(_validator.ValidateAsync(assertion, formClientId, CancellationToken.None));
    }

    [Theory]
    [InlineData("current")]
    [InlineData("next")]
    public void An_assertion_signed_by_either_registered_key_authenticates_its_client(string kid)
    {
        var (client, reason) = Validate(HandMadeJws.Sign(Header(kid), Claims(), kid == "current" ? _current : _next), ClientId);

        Assert.Null(reason);
        Assert.Equal(ClientId, client!.ClientId);
    }

    [Fact]
    public void Without_a_kid_each_key_of_the_client_is_tried() =>
        Assert.Null(Refusal(HandMadeJws.Sign(Header(kid: null), Claims(), _next)));

    [Theory]
    [InlineData(Issuer + "/token")]
    [InlineData(Issuer)]
    public void The_audience_is_the_issuer_or_the_token_endpoint(string audience) =>
        Assert.Null(Refusal(HandMadeJws.Sign(Header(), Claims(audience: audience), _current)));

    [Fact]
    public void A_replayed_assertion_is_refused()
    {
        var assertion = HandMadeJws.Sign(Header(), Claims(), _current);
        Assert.Null(Refusal(assertion));

        Assert.Equal(R.Replayed, Refusal(assertion));
    }

    [Fact]
    public void A_refused_assertion_does_not_use_up_its_jti()
    {
        var claims = Claims();
        Assert.Equal(R.WrongAudience, Refusal(HandMadeJws.Sign(Header(), ChangedAudience(claims), _current)));

        claims["aud"] = Issuer;
        Assert.Null(Refusal(HandMadeJws.Sign(Header(), claims, _current)));
    }

    private static JsonObject ChangedAudience(JsonObject claims)
    {
        var copy = claims.DeepClone().AsObject();
        copy["aud"] = "http://elsewhere.test";
        return copy;
    }

    [Theory]
    [InlineData("http://elsewhere.test")]
    [InlineData("http://auth.test/")]
    [InlineData("aspirejwks-api")]
    public void An_assertion_for_another_audience_is_refused(string audience) =>
        Assert.Equal(R.WrongAudience, Refusal(HandMadeJws.Sign(Header(), Claims(audience: audience), _current)));

    [Fact]
    public void An_expired_assertion_is_refused()
    {
        var assertion = HandMadeJws.Sign(Header(), Claims(), _current);
        _clock.Advance(TimeSpan.FromSeconds(60) + AccessTokenProtocol.ClockSkew + TimeSpan.FromSeconds(1));

        Assert.Equal(R.Expired, Refusal(assertion));
    }

    [Fact]
    public void An_assertion_valid_for_longer_than_the_limit_is_refused()
    {
        var claims = Claims();
        claims["exp"] = _clock.GetUtcNow().Add(ClientAssertionValidator.MaxLifetime + TimeSpan.FromMinutes(1)).ToUnixTimeSeconds();

        Assert.Equal(R.TooLongLived, Refusal(HandMadeJws.Sign(Header(), claims, _current)));
    }

    [Theory]
    [InlineData("nbf")]
    [InlineData("iat")]
    public void An_assertion_from_the_future_is_refused(string claim)
    {
        var claims = Claims();
        claims[claim] = _clock.GetUtcNow().AddMinutes(2).ToUnixTimeSeconds();

        Assert.Equal(R.NotYetValid, Refusal(HandMadeJws.Sign(Header(), claims, _current)));
    }

    [Fact]
    public void An_assertion_without_exp_is_refused()
    {
        var claims = Claims();
        claims.Remove("exp");

        Assert.Equal(R.Malformed, Refusal(HandMadeJws.Sign(Header(), claims, _current)));
    }

    [Fact]
    public void An_hmac_assertion_is_refused_for_its_algorithm() =>
        Assert.Equal(R.AlgNotAllowed, Refusal(HandMadeJws.SignHmac(Header(alg: "HS256"), Claims(), new byte[32])));

    [Fact]
    public void An_unsigned_assertion_is_refused_for_its_algorithm() =>
        Assert.Equal(R.AlgNotAllowed, Refusal(HandMadeJws.WithoutSignature(Header(alg: "none"), Claims())));

    [Fact]
    public void An_unknown_kid_is_refused() =>
        Assert.Equal(R.UnknownKey, Refusal(HandMadeJws.Sign(Header(kid: "unknown"), Claims(), _current)));

    [Fact]
    public void The_key_of_another_client_does_not_sign_for_this_one()
    {
        Assert.Equal(R.BadSignature, Refusal(HandMadeJws.Sign(Header(kid: null), Claims(), _otherClients)));
        Assert.Equal(R.UnknownKey, Refusal(HandMadeJws.Sign(Header(kid: "other"), Claims(), _otherClients)));
    }

    [Fact]
    public void A_subject_other_than_the_issuer_is_refused()
    {
        var claims = Claims();
        claims["sub"] = "other-client";

        Assert.Equal(R.WrongSubject, Refusal(HandMadeJws.Sign(Header(), claims, _current)));
    }

    [Fact]
    public void A_client_id_parameter_naming_another_client_is_refused() =>
        Assert.Equal(R.UnknownClient, Refusal(HandMadeJws.Sign(Header(), Claims(), _current), formClientId: "other-client"));

    [Fact]
    public void A_client_with_a_secret_only_cannot_use_assertions() =>
        Assert.Equal(R.UnknownClient, Refusal(HandMadeJws.Sign(Header(), Claims("secret-client"), _current)));

    [Theory]
    [InlineData("at+jwt")]
    [InlineData("dpop+jwt")]
    public void A_jwt_of_another_kind_is_not_an_assertion(string type)
    {
        var header = Header();
        header["typ"] = type;

        Assert.Equal(R.Malformed, Refusal(HandMadeJws.Sign(header, Claims(), _current)));
    }

    public void Dispose()
    {
        _current.Dispose();
        _next.Dispose();
        _otherClients.Dispose();
    }
}
