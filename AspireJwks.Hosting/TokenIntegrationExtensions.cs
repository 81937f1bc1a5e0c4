using AspireJwks.Hosting;
using AspireJwks.Protocol;

namespace Aspire.Hosting;

/// <summary>
/// How a service joins AspireJwks in the AppHost, two lines per service: an API with
/// <see cref="WithTokenValidation"/>, a client with <c>WithClientCredentials</c>. In the service,
/// <c>AddTokenValidation</c> and <c>RequireScope</c>, or <c>AddClientCredentialsToken</c>, read
/// what these give it.
/// </summary>
public static class TokenIntegrationExtensions
{
    /// <summary>
    /// Registers the service as an API with <paramref name="auth"/>: its audience and the scopes it
    /// owns (a token names one API: the one owning the scopes asked for). Gives it what token
    /// validation needs (the issuer, the audience, where the JWKS is, the refresh interval, clock
    /// skew and validation cache lifetime), references auth and waits for it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTokenValidation(
        this IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> auth, string audience, params string[] scopes)
    {
        var issuer = auth.IssuerSettings();
        TokenIssuerRegistry.RegisterApi(auth, audience, scopes);
        return api
            .WithHttpEndpointIfItHasNone()
            .WithReference(auth)
            .WithEnvironment(ServiceEnvironment.TokenValidation.Issuer, auth.GetEndpoint("http"))
            .WithEnvironment(ServiceEnvironment.TokenValidation.Audience, audience)
            .WithEnvironment(ServiceEnvironment.TokenValidation.Authority, ServiceAddress(auth))
            .WithEnvironment(ServiceEnvironment.TokenValidation.JwksRefreshInterval, issuer.JwksRefreshInterval)
            .WithEnvironment(ServiceEnvironment.TokenValidation.ClockSkew, issuer.ClockSkew)
            .WithEnvironment(ServiceEnvironment.TokenValidation.ValidationCacheLifetime, issuer.ValidationCacheLifetime)
            .WithTokenStore()
            .WithHealthEndpointCheck()
            .WaitFor(auth);
    }

    /// <summary>
    /// Registers the service as a client of <paramref name="auth"/> allowed <paramref name="scopes"/>,
    /// with a secret parameter <c>&lt;clientId&gt;-secret</c> generated on the first run and kept in
    /// the AppHost's user secrets (override it as <c>Parameters__&lt;clientId&gt;-secret</c>), and
    /// gives the service its credentials. References auth and waits for it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithClientCredentials(
        this IResourceBuilder<ProjectResource> client, IResourceBuilder<ProjectResource> auth, string clientId, params string[] scopes)
    {
        if (!AccessTokenProtocol.IsClientId(clientId))
        {
            throw new ArgumentException($"The client id '{clientId}' must be 1 to 64 letters, digits, '.', '_' or '-'.", nameof(clientId));
        }
        var secretName = $"{clientId}-secret";
        if (!IsResourceName(secretName))
        {
            throw new ArgumentException(
                $"The client id '{clientId}' names the parameter '{secretName}', which is not a valid resource name: " +
                "with this overload a client id starts with a letter and has only letters, digits and single hyphens, at most 57 characters. " +
                "For another id, pass the id and secret as parameters of your own.", nameof(clientId));
        }
        var secret = client.ApplicationBuilder.AddClientSecretParameter(secretName);
        var keys = ClientKeyParameters.Add(client.ApplicationBuilder, clientId);
        TokenIssuerRegistry.RegisterClient(auth, clientId, secret, scopes, keys);
        return client.WithEnvironment(ServiceEnvironment.ClientCredentials.ClientId, clientId).WithClientSettings(auth, secret, keys);
    }

    /// <summary>
    /// Aspire's rule for resource (and so parameter) names, checked here to name the client id at
    /// fault rather than a parameter the caller never wrote: a letter first, then letters, digits
    /// and hyphens, no two hyphens in a row, no hyphen last, at most 64 characters.
    /// </summary>
    private static bool IsResourceName(string name) =>
        name.Length <= 64 && char.IsAsciiLetter(name[0]) && name[^1] != '-'
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && !name.Contains("--", StringComparison.Ordinal);

    /// <summary>As <see cref="WithClientCredentials(IResourceBuilder{ProjectResource}, IResourceBuilder{ProjectResource}, string, string[])"/>, with the id and secret as parameters of your own.</summary>
    public static IResourceBuilder<ProjectResource> WithClientCredentials(
        this IResourceBuilder<ProjectResource> client, IResourceBuilder<ProjectResource> auth,
        IResourceBuilder<ParameterResource> clientId, IResourceBuilder<ParameterResource> clientSecret, params string[] scopes)
    {
        // Key parameters named like the secret's: client-secret gives client-key and client-jwks.
        var secretName = clientSecret.Resource.Name;
        var keys = ClientKeyParameters.Add(client.ApplicationBuilder, secretName.EndsWith("-secret", StringComparison.Ordinal) ? secretName[..^"-secret".Length] : secretName);
        TokenIssuerRegistry.RegisterClient(auth, clientId, clientSecret, scopes, keys);
        return client.WithEnvironment(ServiceEnvironment.ClientCredentials.ClientId, clientId).WithClientSettings(auth, clientSecret, keys);
    }

    private static IResourceBuilder<ProjectResource> WithClientSettings(
        this IResourceBuilder<ProjectResource> client, IResourceBuilder<ProjectResource> auth, IResourceBuilder<ParameterResource> secret,
        ClientKeyParameters keys)
    {
        client.WithReference(auth)
            .WithEnvironment(ServiceEnvironment.ClientCredentials.Authority, ServiceAddress(auth))
            // The audience of the client's assertions: the issuer, exactly as its tokens' iss.
            .WithEnvironment(ServiceEnvironment.ClientCredentials.Issuer, auth.GetEndpoint("http"))
            .WithEnvironment(ServiceEnvironment.ClientCredentials.ClientSecret, secret)
            .WaitFor(auth);
        return keys.Key is { } key ? client.WithEnvironment(ServiceEnvironment.ClientCredentials.SigningKey, key) : client;
    }

    /// <summary>
    /// Makes the API refuse every token that is not DPoP-bound (RFC 9449), so a copied token is
    /// useless without its client's key. Call after <see cref="WithTokenValidation"/>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> RequireDPoP(this IResourceBuilder<ProjectResource> api) =>
        api.WithEnvironment(ServiceEnvironment.TokenValidation.RequireDPoP, "true");

    /// <summary>As <see cref="RequireDPoP(IResourceBuilder{ProjectResource})"/>, switched by a parameter (<c>true</c> or <c>false</c>).</summary>
    public static IResourceBuilder<ProjectResource> RequireDPoP(this IResourceBuilder<ProjectResource> api, IResourceBuilder<ParameterResource> required) =>
        api.WithEnvironment(ServiceEnvironment.TokenValidation.RequireDPoP, required);

    /// <summary>The issuer as service discovery knows it: https where it has https, else http.</summary>
    private static string ServiceAddress(IResourceBuilder<ProjectResource> auth) => $"https+http://{auth.Resource.Name}";
}
