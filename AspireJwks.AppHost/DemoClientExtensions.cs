namespace AspireJwks.AppHost;

/// <summary>How the demo client runs: once (the default), or every <c>client-interval</c> until stopped.</summary>
internal static class DemoClientExtensions
{
    public static IResourceBuilder<ProjectResource> WithRunInterval(
        this IResourceBuilder<ProjectResource> client, IResourceBuilder<ParameterResource>? interval) =>
        interval is null ? client : client.WithEnvironment(ServiceEnvironment.ClientInterval, interval);
}
