using System.Diagnostics;
using AspireJwks.Protocol.DPoP;
using AspireJwks.Protocol.Replay;
using AspireJwks.Store;
using AspireJwks.Store.KeyChanges;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AspireJwks.Tests.Store;

/// <summary>
/// The store's calls in a trace, against a real Garnet: a client span under a recorded request,
/// in the database conventions, and nothing at all under a request that is not recorded (Aspire's
/// own Redis tracing, which costs every request, is off for this connection).
/// </summary>
public sealed class StoreSpanTests : IDisposable
{
    private readonly InProcessGarnet _garnet = new();
    private readonly List<Activity> _ended = [];
    private readonly IHost _host;

    public StoreSpanTests()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:store"] = _garnet.ConnectionString });
        // Roots are never sampled here: a span seen below followed its recorded parent.
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
            .SetSampler(new ParentBasedSampler(new AlwaysOffSampler()))
            .AddProcessor(new Collector(_ended)));
        builder.AddTokenStore();
        _host = builder.Build();
        _host.Services.GetRequiredService<TracerProvider>();
    }

    [Fact]
    public async Task A_replay_check_under_a_recorded_request_is_one_client_span_in_the_database_conventions()
    {
        await _garnet.AgeEpochAsync();
        using (var request = Request(recorded: true))
        {
            var result = await Replay.EnterAsync(Proof(), CancellationToken.None);
            Assert.Equal(ReplayVerdict.Fresh, result.Verdict);

            var span = Assert.Single(StoreSpans());
            Assert.Equal("SET", span.DisplayName);
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal(request.SpanId, span.ParentSpanId);
            Assert.Equal("redis", span.GetTagItem("db.system.name"));
            Assert.Equal("replay", span.GetTagItem(StoreInstrumentation.Operations.Attribute));
            Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
            Assert.Equal(_garnet.Port, span.GetTagItem("server.port"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        }
    }

    [Fact]
    public async Task A_replay_check_the_store_does_not_answer_is_a_failed_span()
    {
        _garnet.Stop();
        using (Request(recorded: true))
        {
            var result = await Replay.EnterAsync(Proof(), CancellationToken.None);
            Assert.Equal(ReplayVerdict.Unavailable, result.Verdict);
        }

        var span = Assert.Single(StoreSpans());
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.NotNull(span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Store_calls_under_an_unrecorded_request_or_none_make_no_span()
    {
        using (Request(recorded: false))
        {
            await Replay.EnterAsync(Proof(), CancellationToken.None);
            await _host.Services.GetRequiredService<IKeyChangeChannel>().AnnounceAsync(["a-kid"], CancellationToken.None);
        }
        await Replay.EnterAsync(Proof(), CancellationToken.None);

        Assert.Empty(StoreSpans());
    }

    [Fact]
    public async Task A_key_change_announcement_under_a_recorded_operation_is_a_publish_span()
    {
        using (Request(recorded: true))
        {
            await _host.Services.GetRequiredService<IKeyChangeChannel>().AnnounceAsync(["a-kid"], CancellationToken.None);
        }

        var span = Assert.Single(StoreSpans());
        Assert.Equal("PUBLISH", span.DisplayName);
        Assert.Equal("announce", span.GetTagItem(StoreInstrumentation.Operations.Attribute));
    }

    private IReplayStore Replay => _host.Services.GetRequiredService<IReplayStore>();

    private List<Activity> StoreSpans()
    {
        lock (_ended)
        {
            return [.. _ended.Where(span => span.Source.Name == StoreInstrumentation.ActivitySourceName)];
        }
    }

    /// <summary>A request's Activity, as ASP.NET Core makes one whether or not the trace is sampled.</summary>
    private static Activity Request(bool recorded)
    {
        var request = new Activity("GET /protected");
        request.SetIdFormat(ActivityIdFormat.W3C);
        request.ActivityTraceFlags = recorded ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None;
        return request.Start();
    }

    private static OneTimeJwt Proof() => new(DPoPProtocol.ProofKind, "scope", Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);

    public void Dispose()
    {
        _host.Dispose();
        _garnet.Dispose();
    }

    private sealed class Collector(List<Activity> ended) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            lock (ended)
            {
                ended.Add(data);
            }
        }
    }
}
