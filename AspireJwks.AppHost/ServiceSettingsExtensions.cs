namespace AspireJwks.AppHost;

/// <summary>
/// The settings each service needs, passed from the AppHost once so that issuer, audience and
/// client credentials cannot disagree between the services.
/// </summary>
internal static class ServiceSettingsExtensions
{
    public const string ApiAudience = "aspirejwks-api";
    public const string ReadScope = "api.read";

    /// <summary>The issuer's own settings; its APIs and clients come from <see cref="TokenIssuerRegistry"/>.</summary>
    public static IResourceBuilder<ProjectResource> WithIssuerSettings(
        this IResourceBuilder<ProjectResource> auth, IResourceBuilder<ParameterResource> keysDirectory) =>
        auth.WithEnvironment("Auth__Issuer", auth.GetEndpoint("http"))
            .WithEnvironment("Auth__KeysDirectory", keysDirectory);

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
