using System.Text;
using AspireJwks.Auth.Options;
using AspireJwks.Auth.Tokens;

namespace AspireJwks.Tests.Unit.Auth;

public sealed class ClientAuthenticatorTests
{
    private const string Secret = "a-secret-of-enough-length";

    private readonly ClientAuthenticator _authenticator = new(Microsoft.Extensions.Options.Options.Create(new AuthOptions
    {
        Clients = [new ClientRegistration { ClientId = "demo client", ClientSecret = Secret, Audience = "api", Scopes = ["api.read"] }],
    }));

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

    private static string Basic(string clientId, string secret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}"));
}
