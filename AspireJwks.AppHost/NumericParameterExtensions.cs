using System.Globalization;

namespace AspireJwks.AppHost;

/// <summary>
/// Numeric parameters, checked when the AppHost starts so that a bad value stops it with the
/// parameter's name instead of surfacing later as a service that fails its own validation.
/// </summary>
internal static class NumericParameterExtensions
{
    public static IResourceBuilder<ParameterResource> AddNonNegativeIntegerParameter(
        this IDistributedApplicationBuilder builder, string name, int defaultValue)
    {
        var configured = builder.Configuration[$"Parameters:{name}"];
        var value = defaultValue;
        if (configured is not null
            && (!int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < 0))
        {
            throw new InvalidOperationException($"Parameter '{name}' must be a whole number of 0 or more; it is '{configured}'.");
        }
        return builder.AddParameter(name, value.ToString(CultureInfo.InvariantCulture), publishValueAsDefault: false, secret: false);
    }
}
