using System.Collections.Concurrent;
using System.Diagnostics;
using AspireJwks.Api.Authentication;
using AspireJwks.ServiceDefaults;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Tests.Unit.Api;

public sealed class JwksConfigurationManagerTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly StubHttpClientFactory _auth = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly JwksConfigurationManager _keys;

    public JwksConfigurationManagerTests() =>
        _keys = new JwksConfigurationManager(_auth,
            Options.Create(new TokenValidationOptions { Issuer = "http://auth.test", Audience = "api", JwksRefreshInterval = Interval }),
            _clock, NullLogger<JwksConfigurationManager>.Instance);

    public void Dispose() => _keys.Dispose();

    [Fact]
    public async Task A_key_withdrawn_from_the_jwks_is_gone_after_the_next_refresh_and_nothing_brings_it_back()
    {
        _auth.Serve(Jwks("revoked", "kept"));
        await _keys.RefreshAsync(CancellationToken.None);
        _auth.Serve(Jwks("kept"));
        await _keys.RefreshAsync(CancellationToken.None);
        _auth.Respond = () => new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        await _keys.RefreshAsync(CancellationToken.None);

        var configuration = await _keys.GetConfigurationAsync(CancellationToken.None);

        Assert.Equal(["kept"], configuration.SigningKeys.Select(key => key.KeyId));
        // JwtBearer applies a "last known good" configuration only through BaseConfigurationManager.
        Assert.IsNotAssignableFrom<BaseConfigurationManager>(_keys);
    }

    [Fact]
    public async Task A_flood_of_unknown_kids_asks_for_one_fetch_per_refresh_interval()
    {
        for (var i = 0; i < 1000; i++)
        {
            _keys.RequestRefresh();
        }
        await _keys.WaitForNextRefreshAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        for (var i = 0; i < 1000; i++)
        {
            _keys.RequestRefresh();
        }
        using (var shortly = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _keys.WaitForNextRefreshAsync(shortly.Token));
        }

        _clock.Advance(Interval);
        _keys.RequestRefresh();
        await _keys.WaitForNextRefreshAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_refresh_asked_for_by_a_request_is_its_own_jwks_refresh_trace_linked_to_that_request()
    {
        var refreshes = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == JwksTelemetry.ApiSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => refreshes.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(listener);
        _auth.Serve(Jwks("one", "two"));

        ActivityTraceId requestTrace;
        using (var request = new Activity("GET /protected").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            requestTrace = request.TraceId;
            _keys.RequestRefresh();
        }
        await _keys.RefreshAsync(CancellationToken.None);

        // Other tests in this process refresh too: find the one this request caused.
        var refresh = Assert.Single(refreshes, activity => activity.Links.Any(link => link.Context.TraceId == requestTrace));
        Assert.Equal(JwksTelemetry.Spans.JwksRefresh, refresh.OperationName);
        Assert.NotEqual(requestTrace, refresh.TraceId);
        Assert.Null(refresh.ParentId);
        Assert.Equal(2, refresh.GetTagItem(JwksTelemetry.Attributes.JwksKeyCount));
    }

    private static string Jwks(params string[] kids)
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var parameters = rsa.ExportParameters(false);
        var n = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(parameters.Modulus);
        var e = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(parameters.Exponent);
        return $$"""{"keys":[{{string.Join(",", kids.Select(kid => $$"""{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{kid}}","n":"{{n}}","e":"{{e}}"}"""))}}]}""";
    }
}
