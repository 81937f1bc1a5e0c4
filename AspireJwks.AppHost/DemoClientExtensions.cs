namespace AspireJwks.AppHost;

/// <summary>How the demo client runs: once (the default), or every <c>client-interval</c> until stopped.</summary>
internal static class DemoClientExtensions
{
    public static IResourceBuilder<ProjectResource> WithRunInterval(
        this IResourceBuilder<ProjectResource> client, IResourceBuilder<ParameterResource>? interval) =>
        interval is null ? client : client.WithEnvironment(DemoEnvironment.ClientInterval, interval);

    /// <summary>How the demo client proves itself (<c>client-authentication</c>) and whether its tokens are DPoP-bound (<c>client-dpop</c>).</summary>
    public static IResourceBuilder<ProjectResource> WithDemoCredentials(
        this IResourceBuilder<ProjectResource> client, IResourceBuilder<ParameterResource> authentication, IResourceBuilder<ParameterResource> dpop) =>
        client.WithEnvironment(DemoEnvironment.ClientAuthenticationMethod, authentication)
            .WithEnvironment(DemoEnvironment.ClientDPoP, dpop);
}
