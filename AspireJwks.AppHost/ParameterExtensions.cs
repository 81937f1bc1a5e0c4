using System.Globalization;
using AspireJwks.ServiceDefaults;

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

    /// <summary>Whether the parameter was given at all: some parameters exist only when set.</summary>
    public static bool IsConfigured(this IDistributedApplicationBuilder builder, string name) =>
        !string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{name}"]);

    public static IResourceBuilder<ParameterResource> AddClientIdParameter(
        this IDistributedApplicationBuilder builder, string name, string defaultValue) =>
        builder.AddCheckedParameter(name, defaultValue, value => AccessTokenProtocol.IsClientId(value) ? value : null,
            "a client id: 1 to 64 letters, digits, '.', '_' or '-'");

    /// <summary>
    /// A client secret: generated on the first run (32 characters) and kept in the AppHost's user
    /// secrets, overridable like any parameter, and hidden by the dashboard.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddClientSecretParameter(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

    public static IResourceBuilder<ParameterResource> AddNonNegativeIntegerParameter(
        this IDistributedApplicationBuilder builder, string name, int defaultValue, int maximum) =>
        builder.AddCheckedParameter(name, defaultValue.ToString(CultureInfo.InvariantCulture),
            value => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= maximum
                ? number.ToString(CultureInfo.InvariantCulture)
                : null,
            $"a whole number from 0 to {maximum}");

    /// <summary>How many processes of a service run: the value is needed while the graph is built, so it is returned too.</summary>
    public static int AddReplicaCountParameter(this IDistributedApplicationBuilder builder, string name, int maximum)
    {
        var count = 1;
        builder.AddCheckedParameter(name, "1",
            value => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count >= 1 && count <= maximum
                ? count.ToString(CultureInfo.InvariantCulture)
                : null,
            $"a whole number from 1 to {maximum}");
        return count;
    }

    /// <summary>A switch: <c>true</c> or <c>false</c>, nothing else (a typo must not silently mean either).</summary>
    public static IResourceBuilder<ParameterResource> AddSwitchParameter(this IDistributedApplicationBuilder builder, string name, bool defaultValue) =>
        builder.AddCheckedParameter(name, defaultValue ? "true" : "false",
            value => value.ToLowerInvariant() is "true" or "false" ? value.ToLowerInvariant() : null, "true or false");

    /// <summary>A ratio from 0 to 1; anything else would silently trace everything or nothing.</summary>
    public static IResourceBuilder<ParameterResource> AddRatioParameter(
        this IDistributedApplicationBuilder builder, string name, double defaultValue) =>
        builder.AddCheckedParameter(name, defaultValue.ToString(CultureInfo.InvariantCulture),
            value => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1
                ? ratio.ToString(CultureInfo.InvariantCulture)
                : null,
            "a number from 0 to 1");

    /// <summary>A duration (<c>hh:mm:ss</c>) within bounds; its value is returned too, for the bounds of other parameters.</summary>
    /// <param name="why">Why the minimum is what it is, when it comes from other parameters.</param>
    public static (IResourceBuilder<ParameterResource> Parameter, TimeSpan Value) AddDurationParameter(
        this IDistributedApplicationBuilder builder, string name, TimeSpan defaultValue, TimeSpan minimum, TimeSpan maximum, string why = "")
    {
        var value = defaultValue;
        var parameter = builder.AddCheckedParameter(name, defaultValue.ToString("c", CultureInfo.InvariantCulture),
            text => TryParseDuration(text, out value) && value >= minimum && value <= maximum
                ? value.ToString("c", CultureInfo.InvariantCulture)
                : null,
            $"a duration (hh:mm:ss) between {minimum:c}{why} and {maximum:c}");
        return (parameter, value);
    }

    /// <summary>A directory parameter; a relative value is taken relative to the AppHost's folder, not to each service's.</summary>
    public static IResourceBuilder<ParameterResource> AddKeysDirectoryParameter(
        this IDistributedApplicationBuilder builder, string name, string defaultDirectory) =>
        builder.AddCheckedParameter(name, defaultDirectory, value => Path.GetFullPath(value, builder.AppHostDirectory), "a directory path");

    /// <summary>
    /// hh:mm:ss, or d.hh:mm:ss beyond a day. Always with a colon: TimeSpan reads a bare "30" as
    /// 30 days, and a delay meant as seconds would be accepted as a month.
    /// </summary>
    private static bool TryParseDuration(string text, out TimeSpan value) =>
        TimeSpan.TryParseExact(text, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out value)
        || (text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value));
}
