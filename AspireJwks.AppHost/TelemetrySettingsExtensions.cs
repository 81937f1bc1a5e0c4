using System.Globalization;

namespace AspireJwks.AppHost;

/// <summary>How much the services trace, set once in the AppHost for every service that serves requests.</summary>
internal static class TelemetrySettingsExtensions
{
    /// <summary>
    /// A ratio between 0 and 1 read from configuration (<c>Parameters__name</c>); anything else
    /// stops the AppHost with the parameter's name rather than silently tracing everything or nothing.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddRatioParameter(
        this IDistributedApplicationBuilder builder, string name, double defaultValue)
    {
        var configured = builder.Configuration[$"Parameters:{name}"];
        var ratio = defaultValue;
        if (configured is not null
            && (!double.TryParse(configured, NumberStyles.Float, CultureInfo.InvariantCulture, out ratio) || ratio is < 0 or > 1))
        {
            throw new InvalidOperationException($"Parameter '{name}' must be a number from 0 to 1 (got '{configured}').");
        }
        return builder.AddParameter(name, ratio.ToString(CultureInfo.InvariantCulture), publishValueAsDefault: false, secret: false);
    }

    public static IResourceBuilder<ProjectResource> WithTraceSampling(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> ratio) =>
        service.WithEnvironment("Telemetry__TraceSamplingRatio", ratio);
}
