using System.Collections.Concurrent;
using System.Diagnostics;
using AspireJwks.KeyStore;
using AspireJwks.KeyStore.Commands;
using AspireJwks.Protocol;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Unit.Bootstrapper;

/// <summary>
/// What each command tells an operator, exactly: its log lines (level, category and text) and its
/// spans. Scripts and the dashboard read these lines, so a change to one is a change of contract.
/// </summary>
public sealed class CommandRecordTests : IDisposable
{
    private const string Commands = "AspireJwks.KeyStore.Commands.";
    private static readonly string[] Timings = ["--propagation-delay", "00:10:00", "--retention", "00:30:00"];

    private readonly KeyStoreHarness _store = new();

    public void Dispose() => _store.Dispose();

    private string Directory => _store.Layout.Directory;

    private List<string> LogLines() => [.. _store.Logs.GetSnapshot().Select(record => $"{record.Level} {record.Category}: {record.Message}")];

    private string OnlyKid() => _store.Manifest().Keys.Single().Kid;

    [Fact]
    public void Init_on_a_new_store_logs_the_generated_key()
    {
        Assert.Equal(0, _store.Run(["init", .. Timings]));

        Assert.Equal([$"Information {Commands}InitCommand: Generated signing key {OnlyKid()} (RS256) in {Directory}"], LogLines());
    }

    [Fact]
    public void Init_with_a_passphrase_says_that_the_key_is_encrypted_at_rest()
    {
        using var store = new KeyStoreHarness(passphrase: "a passphrase");

        Assert.Equal(0, store.Run("init", "--signing-algorithm", "ES256"));

        var kid = store.Manifest().Keys.Single().Kid;
        Assert.Equal(
            [$"Information {Commands}InitCommand: Generated signing key {kid} (ES256) in {store.Layout.Directory}, encrypted at rest"],
            store.Logs.GetSnapshot().Select(record => $"{record.Level} {record.Category}: {record.Message}"));
    }

    [Fact]
    public void Init_on_an_unchanged_store_logs_each_loaded_key_and_nothing_else()
    {
        _store.Run(["init", .. Timings]);
        _store.Run("rotate");
        _store.Logs.Clear();

        Assert.Equal(0, _store.Run(["init", .. Timings]));

        Assert.Equal(
            _store.Manifest().Keys.Select(key => $"Information {Commands}InitCommand: Loaded signing key {key.Kid} (RS256) from {Directory}"),
            LogLines());
    }

    [Fact]
    public void Init_with_a_changed_policy_logs_the_policy_it_wrote()
    {
        _store.Run(["init", .. Timings]);
        _store.Logs.Clear();

        Assert.Equal(0, _store.Run("init", "--propagation-delay", "00:20:00", "--retention", "01:00:00", "--signing-algorithm", "ES256"));

        Assert.Equal(
            [
                $"Information {Commands}InitCommand: Loaded signing key {OnlyKid()} (RS256) from {Directory}",
                $"Information {Commands}InitCommand: Updated the key store policy to KeyStorePolicy {{ SigningAlgorithm = ES256, RsaKeySize = 2048, " +
                    "PropagationDelay = 00:20:00, Retention = 01:00:00 }; encrypted 0 private key(s)",
            ],
            LogLines());
    }

    [Fact]
    public void Init_logs_that_it_re_derived_a_missing_jwks()
    {
        _store.Run(["init", .. Timings]);
        File.Delete(_store.Layout.JwksPath);
        _store.Logs.Clear();

        Assert.Equal(0, _store.Run(["init", .. Timings]));

        Assert.Equal(
            [
                $"Information {Commands}InitCommand: Loaded signing key {OnlyKid()} (RS256) from {Directory}",
                $"Information {Commands}InitCommand: Re-derived {_store.Layout.JwksPath} from the manifest",
            ],
            LogLines());
    }

    [Fact]
    public void Rotate_logs_the_next_key_and_when_it_takes_over()
    {
        _store.Run(["init", .. Timings]);
        var active = OnlyKid();
        _store.Logs.Clear();

        Assert.Equal(0, _store.Run("rotate"));

        var next = _store.Manifest().Keys[^1].Kid;
        Assert.Equal(
            [$"Information {Commands}RotateCommand: Rotated: key {next} (RS256) is published now and signs from 2026-11-01T12:10:00.0000000+00:00; {active} retires then"],
            LogLines());
    }

    [Fact]
    public void Revoking_the_active_key_is_a_warning_that_names_its_successor()
    {
        _store.Run(["init", .. Timings]);
        var revoked = OnlyKid();
        _store.Logs.Clear();

        Assert.Equal(0, _store.Run("revoke", revoked));

        var successor = _store.Manifest().Keys.Single(key => key.Kid != revoked).Kid;
        Assert.Equal(
            [
                $"Warning {Commands}RevokeCommand: Revoked the ACTIVE key {revoked}: tokens signed with it now fail. {successor} signs from now on, " +
                    "without the propagation delay, so validators that have not fetched it yet reject its tokens until their next JWKS refresh",
            ],
            LogLines());
    }

    [Fact]
    public void Revoking_the_next_key_is_logged_with_its_state()
    {
        _store.Run(["init", .. Timings]);
        _store.Run("rotate");
        var next = _store.Manifest().Keys[^1].Kid;
        _store.Logs.Clear();

        Assert.Equal(0, _store.Run("revoke", next));

        Assert.Equal([$"Information {Commands}RevokeCommand: Revoked the Next key {next}: it left the JWKS; tokens signed with it now fail"], LogLines());
    }

    [Fact]
    public void A_refused_command_logs_one_error_line_and_exits_with_1()
    {
        _store.Run(["init", .. Timings]);
        _store.Run("rotate");
        var pending = _store.Manifest().Keys[^1].Kid;
        _store.Logs.Clear();

        Assert.Equal(1, _store.Run("rotate"));

        Assert.Equal(
            [$"Error AspireJwks.Bootstrapper: Key store error: A rotation is already pending: key {pending} activates at 2026-11-01T12:10:00.0000000+00:00. Rotate again after that."],
            LogLines());
    }

    [Fact]
    public void Init_and_rotate_record_a_generate_span_with_the_new_kid_and_init_on_a_store_a_load_span()
    {
        using var spans = new OwnSpans();

        _store.Run(["init", .. Timings]);
        var first = OnlyKid();
        _store.Run(["init", .. Timings]);
        _store.Run("rotate");
        var next = _store.Manifest().Keys[^1].Kid;

        Assert.Equal(
            [
                $"{KeyStoreInstrumentation.Spans.KeysGenerate} kid={first} alg=RS256 events=",
                $"{KeyStoreInstrumentation.Spans.KeysLoad} kid= alg= events=key.loaded:{first}",
                $"{KeyStoreInstrumentation.Spans.KeysGenerate} kid={next} alg=RS256 events=",
            ],
            spans.Stopped.Select(span => string.Join(" ",
                span.OperationName,
                $"kid={span.GetTagItem(TelemetryAttributes.Kid)}",
                $"alg={span.GetTagItem(TelemetryAttributes.Alg)}",
                $"events={string.Join(",", span.Events.Select(e => $"{e.Name}:{e.Tags.Single(tag => tag.Key == TelemetryAttributes.Kid).Value}"))}")));
    }

    /// <summary>The spans started under this test's own trace, recorded whatever other tests' samplers decide.</summary>
    private sealed class OwnSpans : IDisposable
    {
        private readonly Activity _parent = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ActivityListener _listener;

        public OwnSpans()
        {
            var traceId = _parent.TraceId;
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == KeyStoreInstrumentation.Source.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                    options.Parent.TraceId == traceId ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
                ActivityStopped = activity => _stopped.Enqueue(activity),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> Stopped => [.. _stopped.Where(activity => activity.TraceId == _parent.TraceId)];

        public void Dispose()
        {
            _listener.Dispose();
            _parent.Stop();
        }
    }
}
