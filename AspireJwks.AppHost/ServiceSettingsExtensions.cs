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
        api.WithEnvironment("Jwt__Issuer", auth.GetEndpoint("http"))
            .WithEnvironment("Jwt__AuthorityAddress", $"https+http://{auth.Resource.Name}")
            .WithEnvironment("Jwt__Audience", ApiAudience)
            .WithEnvironment("Jwt__RequiredScope", ReadScope);

    public static IResourceBuilder<ProjectResource> WithClientCredentials(
        this IResourceBuilder<ProjectResource> client,
        IResourceBuilder<ParameterResource> clientId,
        IResourceBuilder<ParameterResource> clientSecret) =>
        client.WithEnvironment("Client__ClientId", clientId)
            .WithEnvironment("Client__ClientSecret", clientSecret)
            .WithEnvironment("Client__Scope", ReadScope);
}
