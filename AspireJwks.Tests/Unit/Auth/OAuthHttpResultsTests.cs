using System.Text.Json;
using AspireJwks.Issuer.Endpoints;
using AspireJwks.Issuer.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AspireJwks.Tests.Unit.Auth;

/// <summary>The two token endpoint answers that carry headers of their own: 401 invalid_client and 429.</summary>
public sealed class OAuthHttpResultsTests
{
    [Theory]
    [InlineData(200, "1")]
    [InlineData(1000, "1")]
    [InlineData(2100, "3")]
    public async Task Too_many_requests_is_429_with_retry_after_in_whole_seconds_and_no_store(int retryAfterMilliseconds, string header)
    {
        var context = NewContext();

        await new TooManyRequestsHttpResult(TimeSpan.FromMilliseconds(retryAfterMilliseconds)).ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status429TooManyRequests, context.Response.StatusCode);
        Assert.Equal(header, context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        Assert.Equal(0, context.Response.Body.Length);
    }

    [Fact]
    public async Task Invalid_client_is_401_with_a_basic_challenge_and_the_oauth_error()
    {
        var context = NewContext();

        await new InvalidClientHttpResult(OAuthError.InvalidClient).ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.StartsWith("Basic realm=", context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal("invalid_client", body.RootElement.GetProperty("error").GetString());
        Assert.Equal(OAuthError.InvalidClient.Description, body.RootElement.GetProperty("error_description").GetString());
    }

    private static DefaultHttpContext NewContext() => new()
    {
        RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
        Response = { Body = new MemoryStream() },
    };
}
