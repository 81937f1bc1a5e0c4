using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AspireJwks.ServiceDefaults;

// Bound from the "Telemetry" section; the AppHost sets it from its trace-sampling-ratio parameter:
// { "TraceSamplingRatio": 0.1 }
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// Share of root traces recorded. Parent-based: a request whose caller already sampled it is
    /// always recorded, so a trace is never cut in half between services.
    /// </summary>
    [Range(0.0, 1.0)]
    public double TraceSamplingRatio { get; set; } = 1.0;
}

[OptionsValidator]
public sealed partial class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>;
