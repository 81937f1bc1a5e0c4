namespace AspireJwks.AppHost;

/// <summary>
/// The settings each service needs, passed from the AppHost once so that issuer, audience and
/// client credentials cannot disagree between the services.
/// </summary>
internal static class ServiceSettingsExtensions
{
    public const string ApiAudience = "aspirejwks-api";
    public const string ReadScope = "api.read";

    public static IResourceBuilder<ProjectResource> WithIssuerSettings(
        this IResourceBuilder<ProjectResource> auth,
        IResourceBuilder<ParameterResource> keysDirectory,
        IResourceBuilder<ParameterResource> clientId,
        IResourceBuilder<ParameterResource> clientSecret) =>
        auth.WithEnvironment("Auth__Issuer", auth.GetEndpoint("http"))
            .WithEnvironment("Auth__KeysDirectory", keysDirectory)
            .WithEnvironment("Auth__Clients__0__ClientId", clientId)
            .WithEnvironment("Auth__Clients__0__ClientSecret", clientSecret)
            .WithEnvironment("Auth__Clients__0__Audience", ApiAudience)
            .WithEnvironment("Auth__Clients__0__Scopes__0", ReadScope);

    public static IResourceBuilder<ProjectResource> WithValidationSettings(
        this IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> auth) =>
        api.WithEnvironment("TokenValidation__Issuer", auth.GetEndpoint("http"))
            .WithEnvironment("TokenValidation__Authority", $"https+http://{auth.Resource.Name}")
            .WithEnvironment("TokenValidation__Audience", ApiAudience);

    public static IResourceBuilder<ProjectResource> WithClientCredentials(
        this IResourceBuilder<ProjectResource> client,
        IResourceBuilder<ParameterResource> clientId,
        IResourceBuilder<ParameterResource> clientSecret) =>
        client.WithEnvironment("ClientCredentials__ClientId", clientId)
            .WithEnvironment("ClientCredentials__ClientSecret", clientSecret)
            .WithEnvironment("ClientCredentials__Authority", "https+http://auth");
}
