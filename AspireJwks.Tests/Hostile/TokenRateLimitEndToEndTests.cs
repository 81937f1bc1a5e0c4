using System.Net;
using System.Text.Json.Nodes;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Hostile;

/// <summary><c>token-rate-limit</c> reaches Auth: a burst over it is answered 429 with Retry-After, and the limit recovers.</summary>
[Collection(ObservedAppHostCollection.Name)]
public sealed class TokenRateLimitEndToEndTests(ObservedAppHostFixture fixture)
{
    private const int Burst = 4 * ObservedAppHostFixture.TokenRateLimit;

    [Fact]
    public async Task A_burst_of_failed_logins_from_one_address_is_answered_429_with_retry_after()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ =>
            fixture.RequestTokenAsync(AppHostFixture.ClientId, "guess-" + Guid.NewGuid().ToString("N"))));

        await AssertFailedLoginsLimitedAsync(responses);
    }

    [Fact]
    public async Task A_burst_of_forged_client_assertions_from_one_address_is_limited_like_failed_logins()
    {
        using var attackerKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var responses = await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ =>
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var assertion = HandMadeJws.Sign(new JsonObject { ["alg"] = "ES256" }, new JsonObject
            {
                ["iss"] = AppHostFixture.ClientId, ["sub"] = AppHostFixture.ClientId, ["aud"] = fixture.Issuer,
                ["jti"] = Guid.NewGuid().ToString("N"), ["iat"] = now, ["exp"] = now + 60,
            }, attackerKey);
            return fixture.Auth.PostAsync(new Uri("/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = assertion,
            }));
        }));

        await AssertFailedLoginsLimitedAsync(responses);
    }

    [Fact]
    public async Task A_burst_of_valid_requests_over_the_limit_is_partly_refused_and_the_limit_recovers()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ =>
            fixture.RequestTokenAsync(AppHostFixture.ClientId, fixture.ClientSecret)));

        try
        {
            var limited = responses.Where(response => response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.NotEmpty(limited);
            Assert.All(limited, AssertRetryAfter);
            Assert.All(responses.Except(limited), response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        }
        finally
        {
            await WaitOutAsync(responses);
        }

        // After Retry-After the client is served again, at the first request.
        using var again = await fixture.RequestTokenAsync(AppHostFixture.ClientId, fixture.ClientSecret);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task The_api_is_not_rate_limited()
    {
        var token = await fixture.GetAccessTokenAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => fixture.GetProtectedAsync(token)));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("fast")]
    [InlineData("1.5")]
    [InlineData("1000001")]
    public async Task The_apphost_refuses_a_token_rate_limit_that_is_not_a_whole_number_in_range(string value)
    {
        var error = await Record.ExceptionAsync(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireJwks_AppHost>(
            [$"Parameters:token-rate-limit={value}"]).WaitAsync(AppHostFixture.StartTimeout));

        Assert.NotNull(error);
        Assert.Contains("token-rate-limit", error.ToString(), StringComparison.Ordinal);
    }

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }

    /// <summary>Each failed login is refused, and some of the burst before its credentials are even looked at: 429 with Retry-After.</summary>
    private static async Task AssertFailedLoginsLimitedAsync(HttpResponseMessage[] responses)
    {
        try
        {
            Assert.All(responses, response => Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
            var limited = responses.Where(response => response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.NotEmpty(limited);
            Assert.All(limited, AssertRetryAfter);
        }
        finally
        {
            await WaitOutAsync(responses);
        }
    }

    private static async Task WaitOutAsync(HttpResponseMessage[] responses)
    {
        var wait = responses.Select(response => response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero).DefaultIfEmpty().Max();
        foreach (var response in responses)
        {
            response.Dispose();
        }
        await Task.Delay(wait + TimeSpan.FromMilliseconds(200));
    }
}
