using System.Text;
using AspireJwks.Issuer.Options;
using AspireJwks.Issuer.Registry;
using AspireJwks.Issuer.Tokens;
using AspireJwks.Protocol.Replay;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Unit.Auth;

public sealed class ClientAuthenticatorTests
{
    private const string Secret = "a-secret-of-enough-length";

    private static readonly Microsoft.Extensions.Options.IOptions<AuthOptions> Settings = Microsoft.Extensions.Options.Options.Create(new AuthOptions
    {
        Apis = [new ApiSettings { Audience = "api", Scopes = ["api.read"] }],
        Clients = [new ClientSettings { ClientId = "demo client", SecretSha256 = SecretDigest.Of(Secret), Scopes = ["api.read"] }],
    });

    private readonly Authenticator _authenticator = new(Create(Settings));

    [Fact]
    public void Basic_credentials_are_form_decoded_before_comparison()
    {
        // RFC 6749 2.3.1: "demo client" travels as "demo+client" or "demo%20client".
        var result = _authenticator.Authenticate(Basic("demo+client", Secret), null, null);

        Assert.Equal("demo client", result.Client?.ClientId);
    }

    [Fact]
    public void Post_credentials_authenticate()
    {
        Assert.NotNull(_authenticator.Authenticate(null, "demo client", Secret).Client);
    }

    [Theory]
    [InlineData("demo+client", "wrong")]
    [InlineData("unknown", Secret)]
    [InlineData("demo+client", "")]
    public void Wrong_or_unknown_credentials_are_invalid_client(string clientId, string secret)
    {
        var result = _authenticator.Authenticate(Basic(clientId, secret), null, null);

        Assert.Null(result.Client);
        Assert.Equal(OAuthErrorCodes.InvalidClient, result.Error?.Error);
    }

    [Fact]
    public void Unknown_client_and_wrong_secret_get_the_same_error_text()
    {
        var unknown = _authenticator.Authenticate(Basic("unknown", Secret), null, null);
        var wrongSecret = _authenticator.Authenticate(Basic("demo+client", "wrong"), null, null);

        Assert.Equal(unknown.Error, wrongSecret.Error);
    }

    [Fact]
    public void Both_basic_and_post_credentials_are_an_invalid_request()
    {
        var result = _authenticator.Authenticate(Basic("demo+client", Secret), "demo client", Secret);

        Assert.Equal(OAuthErrorCodes.InvalidRequest, result.Error?.Error);
    }

    [Theory]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Basic")]
    [InlineData("Bearer abc")]
    [InlineData("Basic bm8tY29sb24=")]
    public void Malformed_basic_headers_are_invalid_client(string header)
    {
        Assert.Equal(OAuthErrorCodes.InvalidClient, _authenticator.Authenticate(header, null, null).Error?.Error);
    }

    [Fact]
    public void No_credentials_at_all_are_invalid_client()
    {
        Assert.Equal(OAuthErrorCodes.InvalidClient, _authenticator.Authenticate(null, null, null).Error?.Error);
    }

    [Theory]
    [InlineData("abc", "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0")]
    [InlineData("pässwörd-ünïcode-€", "UMnSpMBoUNTQfkmWzJFVTD6QQ_sldpGYE07dWnEFgIw")]
    public void The_stored_digest_is_unpadded_base64url_sha256_of_the_utf8_secret(string secret, string digest)
    {
        var authenticator = AuthenticatorFor("vector-client", digest);

        Assert.Equal("vector-client", authenticator.Authenticate(null, "vector-client", secret).Client?.ClientId);
        Assert.Null(authenticator.Authenticate(null, "vector-client", secret.ToUpperInvariant()).Client);
    }

    [Fact]
    public void The_digest_itself_is_not_a_secret_that_authenticates()
    {
        // What a reader of Auth's environment sees; presenting it gets nothing.
        var result = _authenticator.Authenticate(null, "demo client", SecretDigest.Of(Secret));

        Assert.Equal(OAuthErrorCodes.InvalidClient, result.Error?.Error);
    }

    [Fact]
    public void Form_credentials_with_an_id_and_no_secret_are_invalid_client()
    {
        Assert.Equal(OAuthErrorCodes.InvalidClient, _authenticator.Authenticate(null, "demo client", null).Error?.Error);
    }

    private static Authenticator AuthenticatorFor(string clientId, string digest)
    {
        var settings = Microsoft.Extensions.Options.Options.Create(new AuthOptions
        {
            Apis = [new ApiSettings { Audience = "api", Scopes = ["api.read"] }],
            Clients = [new ClientSettings { ClientId = clientId, SecretSha256 = digest, Scopes = ["api.read"] }],
        });
        return new Authenticator(Create(settings));
    }

    private static ClientAuthenticator Create(Microsoft.Extensions.Options.IOptions<AuthOptions> settings)
    {
        var registry = new IssuerRegistry(settings);
        return new ClientAuthenticator(settings, registry,
            new ClientAssertionValidator(registry, new MemoryReplayStore(TimeProvider.System), settings, TimeProvider.System));
    }

    /// <summary>Credentials read from the request as the endpoint reads them, then authenticated.</summary>
    private sealed class Authenticator(ClientAuthenticator authenticator)
    {
        public ClientAuthenticationResult Authenticate(string? authorizationHeader, string? formClientId, string? formClientSecret)
        {
            return Synchronously.Result(authenticator.AuthenticateAsync(
                PresentedCredentials.Read(authorizationHeader, formClientId, formClientSecret), CancellationToken.None));
        }
    }

    private static string Basic(string clientId, string secret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}"));
}
