using System.Text;
using AspireJwks.Authentication.DPoP;
using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Options;
using AspireJwks.Issuer.RateLimiting;
using AspireJwks.Issuer.Registry;
using AspireJwks.Issuer.Tokens;
using AspireJwks.Protocol.DPoP;
using AspireJwks.Protocol.Replay;
using AspireJwks.Store.RateLimiting;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using static Microsoft.Extensions.Options.Options;

namespace AspireJwks.Tests.Unit.Auth;

/// <summary>
/// The token service's order of checks, which decides the error a bad request gets: grant type,
/// then client authentication, then the client's rate, then scope negotiation.
/// </summary>
public sealed class TokenServiceTests : IClassFixture<TokenServiceTests.SigningKeys>, IDisposable
{
    private const string Secret = "a-secret-of-enough-length";
    private const int Rate = 2;

    private static readonly Microsoft.Extensions.Options.IOptions<AuthOptions> Settings = Create(new AuthOptions
    {
        Issuer = "http://auth.test",
        TokenLifetime = TimeSpan.FromMinutes(5),
        Apis = [new ApiSettings { Audience = "orders-api", Scopes = ["orders.read"] }],
        Clients = [new ClientSettings { ClientId = "reporter", SecretSha256 = SecretDigest.Of(Secret), Scopes = ["orders.read"] }],
    });

    private readonly ClientRateLimiter _limiter = new(Create(new TokenRateLimitOptions { TokenRequestsPerSecond = Rate }), new ProcessTokenBuckets());
    private readonly TokenService _service;

    public TokenServiceTests(SigningKeys keys)
    {
        var registry = new IssuerRegistry(Settings);
        _service = new TokenService(
            new ClientAuthenticator(Settings, registry, new ClientAssertionValidator(registry, new MemoryReplayStore(keys.Clock), Settings, keys.Clock)),
            _limiter, new DPoPProofValidator(new MemoryReplayStore(keys.Clock), keys.Clock), new ScopeNegotiator(registry),
            new AccessTokenIssuer(keys.Ring, Settings, keys.Clock));
    }

    private TokenOutcome Handle(TokenRequest request)
    {
        return Synchronously.Result(_service.HandleAsync(request, CancellationToken.None));
    }

    [Fact]
    public void A_valid_request_is_issued_a_token_for_the_api_that_owns_its_scope()
    {
        var issued = Assert.IsType<TokenOutcome.Issued>(Handle(Request(scope: "orders.read")));

        Assert.Equal(("reporter", "orders.read"), (issued.ClientId, issued.Scope));
        var token = new JsonWebToken(issued.Token.Token);
        Assert.Equal(["orders-api"], token.Audiences);
        Assert.Equal(issued.Token.Jti, token.Id);
    }

    [Theory]
    [InlineData(null, "invalid_request")]
    [InlineData("", "invalid_request")]
    [InlineData("password", "unsupported_grant_type")]
    public void The_grant_type_is_checked_before_the_credentials(string? grantType, string error)
    {
        var refused = Assert.IsType<TokenOutcome.Refused>(Handle(Request(grantType: grantType, secret: "wrong-secret")));

        Assert.Equal((null, error), (refused.ClientId, refused.Error.Error));
    }

    [Fact]
    public void Wrong_credentials_are_refused_before_the_scope_is_looked_at_and_name_no_client()
    {
        var refused = Assert.IsType<TokenOutcome.Refused>(Handle(Request(scope: "no.such.scope", secret: "wrong-secret")));

        Assert.Equal((null, OAuthErrorCodes.InvalidClient), (refused.ClientId, refused.Error.Error));
    }

    [Fact]
    public void A_refused_scope_is_attributed_to_the_authenticated_client()
    {
        var refused = Assert.IsType<TokenOutcome.Refused>(Handle(Request(scope: "no.such.scope")));

        Assert.Equal(("reporter", OAuthErrorCodes.InvalidScope), (refused.ClientId, refused.Error.Error));
    }

    [Fact]
    public void A_client_over_its_rate_is_told_when_to_retry_before_its_scope_is_negotiated()
    {
        for (var i = 0; i < Rate; i++)
        {
            Assert.IsType<TokenOutcome.Issued>(Handle(Request()));
        }

        var limited = Assert.IsType<TokenOutcome.RateLimited>(Handle(Request(scope: "no.such.scope")));

        Assert.Equal("reporter", limited.ClientId);
        Assert.InRange(limited.RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Failed_logins_do_not_use_up_the_clients_rate()
    {
        for (var i = 0; i < 5 * Rate; i++)
        {
            Assert.IsType<TokenOutcome.Refused>(Handle(Request(secret: "wrong-secret")));
        }

        Assert.IsType<TokenOutcome.Issued>(Handle(Request()));
    }

    private static TokenRequest Request(string? grantType = "client_credentials", string? scope = null, string secret = Secret) =>
        new(grantType, scope, Resource: null, PresentedCredentials.Read(
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"reporter:{secret}")), null, null));

    public void Dispose() => _limiter.Dispose();

    /// <summary>One key store for the class: making an RSA key is the slow part.</summary>
    public sealed class SigningKeys : IDisposable
    {
        private readonly KeyStoreHarness _store = new();

        public SigningKeys()
        {
            _store.Run("init");
            Clock = new FakeTimeProvider(_store.Clock.GetUtcNow());
            Ring = new SigningKeyRing(Clock, NullLogger<SigningKeyRing>.Instance);
            Ring.Publish(_store.Load());
        }

        public FakeTimeProvider Clock { get; }

        internal SigningKeyRing Ring { get; }

        public void Dispose() => _store.Dispose();
    }
}
