namespace AspireJwks.AppHost;

/// <summary>
/// Parameters read from configuration (so <c>Parameters__name</c> in the environment overrides
/// them) with a default that lets <c>dotnet run</c> work untouched. The value is read here, not
/// left to Aspire, because <c>AddParameter(name, value)</c> fixes the value and ignores
/// configuration, and because a bad value must stop the AppHost with the parameter's name.
/// </summary>
internal static class ParameterExtensions
{
    public static IResourceBuilder<ParameterResource> AddConfiguredParameter(
        this IDistributedApplicationBuilder builder, string name, string defaultValue)
    {
        var value = builder.Configuration[$"Parameters:{name}"];
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"Parameter '{name}' is set but empty.");
        }
        return builder.AddParameter(name, value ?? defaultValue, publishValueAsDefault: false, secret: false);
    }

    /// <summary>A directory parameter; a relative value is taken relative to the AppHost's folder, not to each service's.</summary>
    public static IResourceBuilder<ParameterResource> AddKeysDirectoryParameter(
        this IDistributedApplicationBuilder builder, string name, string defaultDirectory)
    {
        var configured = builder.Configuration[$"Parameters:{name}"];
        var directory = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? defaultDirectory : configured, builder.AppHostDirectory);
        return builder.AddParameter(name, directory, publishValueAsDefault: false, secret: false);
    }
}
