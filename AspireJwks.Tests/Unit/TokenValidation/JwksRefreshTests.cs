using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Authentication.TokenValidation.Telemetry;
using AspireJwks.Protocol;
using AspireJwks.Protocol.Jwks;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AspireJwks.Tests.Unit.TokenValidation;

public sealed class JwksRefreshTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly StubHttpClientFactory _auth = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly ValidationHarness _validation;
    private readonly JwksRefreshService _refresher;

    public JwksRefreshTests()
    {
        _validation = new ValidationHarness(_clock, refreshInterval: Interval);
        _refresher = new JwksRefreshService(_validation.Keys, new JwksClient(_auth), _clock, NullLogger<JwksRefreshService>.Instance);
    }

    private JwksKeySource Keys => _validation.Keys;

    public void Dispose()
    {
        _refresher.Dispose();
        _validation.Dispose();
    }

    [Fact]
    public async Task A_key_withdrawn_from_the_jwks_is_gone_after_the_next_refresh_and_a_failed_fetch_brings_nothing_back()
    {
        _auth.Serve(JwksDocuments.Rsa("revoked", "kept"));
        await _refresher.RefreshOnceAsync(CancellationToken.None);
        _auth.Serve(JwksDocuments.Rsa("kept"));
        await _refresher.RefreshOnceAsync(CancellationToken.None);
        _auth.Respond = () => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        await _refresher.RefreshOnceAsync(CancellationToken.None);

        Assert.Equal(["kept"], Keys.Current.Kids);
    }

    [Fact]
    public async Task A_flood_of_unknown_kids_asks_for_one_fetch_per_refresh_interval()
    {
        for (var i = 0; i < 1000; i++)
        {
            Keys.RequestRefresh();
        }
        await Keys.WaitForNextRefreshAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        for (var i = 0; i < 1000; i++)
        {
            Keys.RequestRefresh();
        }
        using (var shortly = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Keys.WaitForNextRefreshAsync(shortly.Token));
        }

        _clock.Advance(Interval);
        Keys.RequestRefresh();
        await Keys.WaitForNextRefreshAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_refresh_asked_for_by_a_request_is_its_own_jwks_refresh_trace_linked_to_that_request()
    {
        var refreshes = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TokenValidationInstrumentation.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => refreshes.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(listener);
        _auth.Serve(JwksDocuments.Rsa("one", "two"));

        ActivityTraceId requestTrace;
        using (var request = new Activity("GET /protected").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            requestTrace = request.TraceId;
            Keys.RequestRefresh();
        }
        await _refresher.RefreshOnceAsync(CancellationToken.None);

        // Other tests in this process refresh too: find the one this request caused.
        var refresh = Assert.Single(refreshes, activity => activity.Links.Any(link => link.Context.TraceId == requestTrace));
        Assert.Equal(TokenValidationInstrumentation.Spans.JwksRefresh, refresh.OperationName);
        Assert.NotEqual(requestTrace, refresh.TraceId);
        Assert.Null(refresh.ParentId);
        Assert.Equal(2, refresh.GetTagItem(TelemetryAttributes.JwksKeyCount));
    }

    [Fact]
    public async Task An_unchanged_key_stays_the_same_object_across_refreshes()
    {
        var document = JwksDocuments.Rsa("steady");
        _auth.Serve(document);
        await _refresher.RefreshOnceAsync(CancellationToken.None);
        Assert.True(Keys.Current.TryGet("steady", out var first));

        await _refresher.RefreshOnceAsync(CancellationToken.None);

        Assert.True(Keys.Current.Holds(first));
    }
}
