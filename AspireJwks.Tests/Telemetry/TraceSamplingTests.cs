using System.Diagnostics;
using AspireJwks.Protocol;
using AspireJwks.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace AspireJwks.Tests.Telemetry;

/// <summary>
/// The sampler the services build from <c>Telemetry:TraceSamplingRatio</c>. Each test listens on
/// a source of its own, so no other tracer in this process votes on its spans.
/// </summary>
public sealed class TraceSamplingTests
{
    [Fact]
    public async Task Ratio_0_records_no_root_span_even_when_OTEL_TRACES_SAMPLER_asks_for_always_on()
    {
        using var source = new ActivitySource($"AspireJwks.Tests.Sampling.{Guid.NewGuid():N}");
        using var host = await StartHostAsync(source, ratio: "0", environmentSampler: "always_on");

        using var root = source.StartActivity("root");

        // The SDK may still create the activity to carry the context onwards; it is not recorded, so never exported.
        Assert.False(root?.Recorded ?? false);
    }

    [Fact]
    public async Task Ratio_0_still_records_a_request_whose_caller_sampled_it()
    {
        using var source = new ActivitySource($"AspireJwks.Tests.Sampling.{Guid.NewGuid():N}");
        using var host = await StartHostAsync(source, ratio: "0", environmentSampler: "always_on");
        var sampledParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);

        using var child = source.StartActivity("child", ActivityKind.Server, sampledParent);

        Assert.NotNull(child);
        Assert.True(child.Recorded);
    }

    [Fact]
    public async Task The_default_ratio_records_every_root_span()
    {
        using var source = new ActivitySource($"AspireJwks.Tests.Sampling.{Guid.NewGuid():N}");
        using var host = await StartHostAsync(source, ratio: null, environmentSampler: "always_off");

        using var root = source.StartActivity("root");

        Assert.NotNull(root);
        Assert.True(root.Recorded);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    public async Task A_ratio_outside_0_to_1_stops_the_service_at_start(string ratio)
    {
        using var source = new ActivitySource($"AspireJwks.Tests.Sampling.{Guid.NewGuid():N}");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(source, ratio, environmentSampler: null));

        Assert.Contains(nameof(TelemetryOptions.TraceSamplingRatio), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trace_sampling_ratio_parameter_outside_0_to_1_stops_the_AppHost_naming_it()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireJwks_AppHost>(["Parameters:trace-sampling-ratio=2"]));

        Assert.Contains("'trace-sampling-ratio'", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<IHost> StartHostAsync(ActivitySource source, string? ratio, string? environmentSampler)
    {
        var builder = Host.CreateApplicationBuilder();
        if (ratio is not null)
        {
            builder.Configuration[$"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.TraceSamplingRatio)}"] = ratio;
        }
        if (environmentSampler is not null)
        {
            builder.Configuration["OTEL_TRACES_SAMPLER"] = environmentSampler;
        }
        builder.ConfigureOpenTelemetry();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(source.Name));
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
