using System.Diagnostics.Metrics;
using AspireJwks.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AspireJwks.Tests.Store;

/// <summary>
/// What a service says about its store: the health check (degraded, never unhealthy, while the
/// real store is stopped), the outage log (once when it starts, once per interval, once when it
/// ends, each failure counted) and the start-up line (which store, never its password).
/// </summary>
public sealed class StoreReportingTests : IDisposable
{
    private readonly InProcessGarnet _garnet = new();

    [Fact]
    public async Task The_health_check_is_degraded_while_the_store_is_down_and_healthy_again_after()
    {
        var replica = _garnet.NewReplica();
        var health = replica.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        _garnet.Stop();
        var down = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, down.Status);
        Assert.Contains("503", down.Entries[StoreHealthCheck.Name].Description, StringComparison.Ordinal);

        _garnet.Start();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        HealthStatus status;
        while ((status = (await health.CheckHealthAsync()).Status) != HealthStatus.Healthy && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.Equal(HealthStatus.Healthy, status);
    }

    [Fact]
    public void An_outage_is_logged_when_it_starts_once_per_interval_and_when_it_ends_and_every_failure_is_counted()
    {
        using var reported = new ReportedOutage();
        var (time, logger, unavailable, outage) = (reported.Time, reported.Logger, reported.Unavailable, reported.Outage);
        var failure = new TimeoutException("a message naming aspirejwks:jti:secret-looking-key");

        for (var i = 0; i < 100; i++)
        {
            outage.Failed(StoreInstrumentation.Operations.Replay, failure);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }
        // 10 s of failures: the first one only.
        Assert.Single(logger.Collector.GetSnapshot());
        Assert.True(outage.IsDown);

        time.Advance(TimeSpan.FromSeconds(25));
        outage.Failed(StoreInstrumentation.Operations.RateLimit, failure);
        var logs = logger.Collector.GetSnapshot();
        Assert.Equal(2, logs.Count);
        Assert.Contains("100 operation(s)", logs[1].Message, StringComparison.Ordinal);
        Assert.All(logs, entry => Assert.Equal(LogLevel.Warning, entry.Level));
        // The kind of failure, not its message: a client's exception text can name keys.
        Assert.Contains(nameof(TimeoutException), logs[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs, entry => entry.Message.Contains("secret-looking-key", StringComparison.Ordinal));

        outage.Answered();
        outage.Answered();
        logs = logger.Collector.GetSnapshot();
        Assert.Equal(3, logs.Count);
        Assert.Contains("answers again", logs[2].Message, StringComparison.Ordinal);
        Assert.False(outage.IsDown);

        var counted = unavailable.GetMeasurementSnapshot();
        Assert.Equal(101, counted.Sum(measurement => measurement.Value));
        Assert.Equal(100, counted.Count(measurement => Equals(measurement.Tags[StoreInstrumentation.Operations.Attribute], StoreInstrumentation.Operations.Replay)));
    }

    [Fact]
    public void A_store_that_flaps_is_logged_at_most_once_per_interval_and_every_failure_is_counted()
    {
        using var reported = new ReportedOutage();
        var (time, logger, unavailable, outage) = (reported.Time, reported.Logger, reported.Unavailable, reported.Outage);

        // 20 s of a store that misses one answer in two.
        for (var i = 0; i < 100; i++)
        {
            outage.Failed(StoreInstrumentation.Operations.Replay, new TimeoutException());
            time.Advance(TimeSpan.FromMilliseconds(100));
            outage.Answered();
            time.Advance(TimeSpan.FromMilliseconds(100));
        }
        var logs = logger.Collector.GetSnapshot();
        Assert.Equal(2, logs.Count);
        Assert.Contains("does not answer", logs[0].Message, StringComparison.Ordinal);
        Assert.Contains("answers again", logs[1].Message, StringComparison.Ordinal);
        Assert.Equal(100, unavailable.GetMeasurementSnapshot().Sum(measurement => measurement.Value));

        // An interval after the last line, an outage is news again.
        time.Advance(TimeSpan.FromSeconds(30));
        outage.Failed(StoreInstrumentation.Operations.Replay, new TimeoutException());
        outage.Answered();
        logs = logger.Collector.GetSnapshot();
        Assert.Equal(4, logs.Count);
        Assert.Contains("does not answer", logs[2].Message, StringComparison.Ordinal);
        Assert.Contains("answers again", logs[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_with_a_store_names_its_endpoint_once_at_start_but_not_its_password()
    {
        var logs = await StartupLogAsync(_garnet.ConnectionString);

        var line = Assert.Single(logs);
        Assert.Contains($"127.0.0.1:{_garnet.Port}", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("password", line.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_service_given_no_store_says_once_at_start_that_it_keeps_everything_in_its_own_process()
    {
        var logs = await StartupLogAsync(connectionString: null);

        var line = Assert.Single(logs);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("this process only", line.Message, StringComparison.Ordinal);
    }

    /// <summary>The log lines of a service's store start-up, with or without a store.</summary>
    private static async Task<IReadOnlyList<FakeLogRecord>> StartupLogAsync(string? connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:store"] = connectionString });
        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging();
        builder.AddTokenStore();
        using var host = builder.Build();

        foreach (var startup in host.Services.GetServices<IHostedService>().OfType<StoreStartup>())
        {
            await startup.StartAsync(CancellationToken.None);
        }
        return host.Services.GetFakeLogCollector().GetSnapshot()
            .Where(record => record.Category == typeof(StoreStartup).FullName)
            .ToList();
    }

    public void Dispose() => _garnet.Dispose();
}

/// <summary>A <see cref="StoreOutage"/> with a 30 s log interval, on a fake clock, its log lines and its counter captured.</summary>
internal sealed class ReportedOutage : IDisposable
{
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public ReportedOutage()
    {
        var meterFactory = _meters.GetRequiredService<IMeterFactory>();
        Unavailable = new MetricCollector<long>(meterFactory, StoreInstrumentation.MeterName, StoreInstrumentation.Metrics.Unavailable);
        Outage = new StoreOutage(meterFactory, Options.Create(new StoreOptions { OutageLogInterval = TimeSpan.FromSeconds(30) }), Time, Logger);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public FakeLogger<StoreOutage> Logger { get; } = new();

    public MetricCollector<long> Unavailable { get; }

    public StoreOutage Outage { get; }

    public void Dispose()
    {
        Unavailable.Dispose();
        _meters.Dispose();
    }
}
