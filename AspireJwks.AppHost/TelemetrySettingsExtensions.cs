namespace AspireJwks.AppHost;

/// <summary>How much the services trace, set once in the AppHost for every service that serves requests.</summary>
internal static class TelemetrySettingsExtensions
{
    public static IResourceBuilder<ProjectResource> WithTraceSampling(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> ratio) =>
        service.WithEnvironment(DemoEnvironment.TraceSamplingRatio, ratio);
}
