using System.Globalization;

namespace AspireJwks.AppHost;

/// <summary>
/// Parameters read from configuration (so <c>Parameters__name</c> in the environment overrides
/// them) with a default that lets <c>dotnet run</c> work untouched. The value is read here, not
/// left to Aspire, because <c>AddParameter(name, value)</c> fixes the value and ignores
/// configuration, and because a bad value must stop the AppHost with the parameter's name
/// before any service starts with it.
/// </summary>
internal static class ParameterExtensions
{
    /// <summary>
    /// The one place a parameter is read and checked: an unset or blank value takes the default;
    /// <paramref name="normalize"/> returns the value to pass on, or null when it is out of range.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddCheckedParameter(
        this IDistributedApplicationBuilder builder, string name, string defaultValue, Func<string, string?> normalize, string expected)
    {
        var configured = builder.Configuration[$"Parameters:{name}"];
        var value = string.IsNullOrWhiteSpace(configured) ? defaultValue : configured.Trim();
        var normalized = normalize(value)
            ?? throw new InvalidOperationException($"Parameter '{name}' is '{value}'; it must be {expected}.");
        return builder.AddParameter(name, normalized, publishValueAsDefault: false, secret: false);
    }

    public static IResourceBuilder<ParameterResource> AddConfiguredParameter(
        this IDistributedApplicationBuilder builder, string name, string defaultValue) =>
        builder.AddCheckedParameter(name, defaultValue, value => value, "a non-empty text");

    public static IResourceBuilder<ParameterResource> AddNonNegativeIntegerParameter(
        this IDistributedApplicationBuilder builder, string name, int defaultValue) =>
        builder.AddCheckedParameter(name, defaultValue.ToString(CultureInfo.InvariantCulture),
            value => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number.ToString(CultureInfo.InvariantCulture)
                : null,
            "a whole number of 0 or more");

    /// <summary>A ratio from 0 to 1; anything else would silently trace everything or nothing.</summary>
    public static IResourceBuilder<ParameterResource> AddRatioParameter(
        this IDistributedApplicationBuilder builder, string name, double defaultValue) =>
        builder.AddCheckedParameter(name, defaultValue.ToString(CultureInfo.InvariantCulture),
            value => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1
                ? ratio.ToString(CultureInfo.InvariantCulture)
                : null,
            "a number from 0 to 1");

    /// <summary>A directory parameter; a relative value is taken relative to the AppHost's folder, not to each service's.</summary>
    public static IResourceBuilder<ParameterResource> AddKeysDirectoryParameter(
        this IDistributedApplicationBuilder builder, string name, string defaultDirectory) =>
        builder.AddCheckedParameter(name, defaultDirectory, value => Path.GetFullPath(value, builder.AppHostDirectory), "a directory path");
}
