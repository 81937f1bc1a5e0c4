namespace AspireJwks.Hosting;

/// <summary>Makes sure an API can be reached by the services that reference it.</summary>
internal static class ServiceEndpointExtensions
{
    private const string DefaultName = "http";

    /// <summary>
    /// Aspire gives a project the endpoints of its launch profile or Kestrel configuration, and a
    /// project with neither (no <c>Properties/launchSettings.json</c>) gets none: a caller's
    /// <c>WithReference</c> then hands it no address and its calls end in "Name or service not known".
    /// Such a service gets an <c>http</c> endpoint on a port the orchestrator picks, which Aspire
    /// passes to the service in <c>ASPNETCORE_URLS</c>. A service with an http or https endpoint
    /// keeps exactly the ones it has (a second "http" is one Aspire would refuse).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHttpEndpointIfItHasNone(this IResourceBuilder<ProjectResource> service) =>
        service.Resource.Annotations.OfType<EndpointAnnotation>().Any(IsHttpOrNamedHttp)
            ? service
            : service.WithHttpEndpoint(name: DefaultName);

    /// <summary>
    /// Makes the resource ready only when its <c>/health</c> answers (the endpoint Aspire's service
    /// defaults map), so that what waits for it waits for its keys, unless it has a health check already.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHealthEndpointCheck(this IResourceBuilder<ProjectResource> service) =>
        service.Resource.Annotations.OfType<HealthCheckAnnotation>().Any() ? service : service.WithHttpHealthCheck("/health");

    private static bool IsHttpOrNamedHttp(EndpointAnnotation endpoint) =>
        endpoint.UriScheme is "http" or "https" || string.Equals(endpoint.Name, DefaultName, StringComparison.OrdinalIgnoreCase);
}
