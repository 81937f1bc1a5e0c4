using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using AspireJwks.Authentication.ClientCredentials;
using AspireJwks.Protocol.Jwks;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AspireJwks.Tests.Unit.ClientCredentials;

/// <summary>
/// The client side of AddClientCredentialsToken: tokens reused per scope set, renewed before they
/// expire, fetched once for many concurrent calls, never cached when the request failed, and
/// replaced once when the API says the token is invalid.
/// </summary>
public sealed class AccessTokenCacheTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly StubHttpClientFactory _auth = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly TokenFactory _tokens;
    private readonly AccessTokenCache _cache;
    private int _expiresIn = 300;

    public AccessTokenCacheTests()
    {
        _tokens = new TokenFactory(_key, ForgedTokens.RandomKid(), "http://auth.test", "aspirejwks-api", _clock);
        _auth.Respond = TokenResponse;
        var options = Options.Create(new ClientCredentialsOptions { Authority = "http://auth.test", ClientId = "reporter", ClientSecret = "s3cret" });
        _cache = new AccessTokenCache(new TokenEndpointClient(_auth, options), _clock, NullLogger<AccessTokenCache>.Instance);
    }

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task A_token_is_reused_until_shortly_before_it_expires_then_renewed()
    {
        _expiresIn = 100;
        var first = await _cache.GetAsync("api.read", CancellationToken.None);

        // Renewed a quarter of its life (at most 30 s) before it expires: 75 s into 100 s.
        _clock.Advance(TimeSpan.FromSeconds(74));
        Assert.Same(first, await _cache.GetAsync("api.read", CancellationToken.None));
        Assert.Equal(1, _auth.Requests);

        _clock.Advance(TimeSpan.FromSeconds(2));
        var renewed = await _cache.GetAsync("api.read", CancellationToken.None);
        Assert.NotEqual(first.Value, renewed.Value);
        Assert.Equal(2, _auth.Requests);
        Assert.True(renewed.ExpiresAt > first.ExpiresAt);
    }

    [Fact]
    public async Task Many_concurrent_calls_share_one_token_request()
    {
        var release = new TaskCompletionSource();
        _auth.RespondAsync = async _ =>
        {
            await release.Task;
            return TokenResponse();
        };

        var calls = Enumerable.Range(0, 64).Select(_ => Task.Run(() => _cache.GetAsync("api.read", CancellationToken.None))).ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        release.SetResult();
        var tokens = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, _auth.Requests);
        Assert.Single(tokens.Select(token => token.Value).Distinct());
    }

    [Fact]
    public async Task Each_scope_set_has_its_own_token()
    {
        var read = await _cache.GetAsync("api.read", CancellationToken.None);
        var write = await _cache.GetAsync("api.write", CancellationToken.None);

        Assert.NotEqual(read.Value, write.Value);
        Assert.Equal(2, _auth.Requests);
        Assert.Same(read, await _cache.GetAsync("api.read", CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_token_request_is_not_cached()
    {
        _auth.Respond = () => new HttpResponseMessage(HttpStatusCode.Unauthorized)
        {
            Content = new StringContent("{\"error\":\"invalid_client\"}", new MediaTypeHeaderValue("application/json")),
        };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => _cache.GetAsync("api.read", CancellationToken.None));
        Assert.Contains("invalid_client", refused.Message, StringComparison.Ordinal);

        _auth.Respond = TokenResponse;
        Assert.NotNull(await _cache.GetAsync("api.read", CancellationToken.None));
        Assert.Equal(2, _auth.Requests);
    }

    [Fact]
    public async Task A_token_request_that_fails_after_its_only_caller_gave_up_is_not_cached()
    {
        var answer = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _auth.RespondAsync = _ => answer.Task;

        // The caller's own deadline (an outer timeout) ends before Auth answers.
        using (var gaveUp = new CancellationTokenSource())
        {
            var call = _cache.GetAsync("api.read", gaveUp.Token);
            await gaveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }
        // Then the request fails, with nobody waiting for it.
        answer.SetException(new HttpRequestException("auth did not answer"));
        Assert.Equal(1, _auth.Requests);

        // Auth is back, and the next call comes later (the next run, the next request): it asks
        // again instead of getting the old failure. A second is ample for the failure to unwind.
        await Task.Delay(TimeSpan.FromSeconds(1));
        _auth.RespondAsync = null;
        _auth.Respond = TokenResponse;
        Assert.NotNull(await _cache.GetAsync("api.read", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, _auth.Requests);
    }

    [Fact]
    public async Task A_401_invalid_token_from_the_api_gets_one_retry_with_a_fresh_token()
    {
        var presented = new List<string>();
        using var api = Api(request =>
        {
            presented.Add(request.Headers.Authorization!.Parameter!);
            return presented.Count == 1 ? Unauthorized("Bearer error=\"invalid_token\"") : new HttpResponseMessage(HttpStatusCode.OK);
        });

        using var response = await api.GetAsync(new Uri("/protected", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, presented.Count);
        Assert.NotEqual(presented[0], presented[1]);
        Assert.Equal(2, _auth.Requests);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer error=\"insufficient_scope\"")]
    public async Task Other_401s_and_a_second_invalid_token_are_answered_as_they_are(string challenge)
    {
        var calls = 0;
        using var api = Api(_ =>
        {
            calls++;
            return Unauthorized(calls == 1 ? challenge : "Bearer error=\"invalid_token\"");
        });

        using var response = await api.GetAsync(new Uri("/protected", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, calls);

        calls = 1;
        using var again = await api.GetAsync(new Uri("/protected", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        // invalid_token twice: one retry, never a loop.
        Assert.Equal(3, calls);
    }

    private HttpClient Api(Func<HttpRequestMessage, HttpResponseMessage> answer) =>
        new(new ClientCredentialsHandler(_cache, "api.read") { InnerHandler = new Answering(answer) }) { BaseAddress = new Uri("http://api.test") };

    private HttpResponseMessage TokenResponse() => new(HttpStatusCode.OK)
    {
        Content = new StringContent(
            $$"""{"access_token":"{{_tokens.Create()}}","token_type":"Bearer","expires_in":{{_expiresIn}},"scope":"api.read"}""",
            new MediaTypeHeaderValue("application/json")),
    };

    private static HttpResponseMessage Unauthorized(string challenge)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Add(AuthenticationHeaderValue.Parse(challenge));
        return response;
    }

    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
