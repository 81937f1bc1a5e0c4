using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AspireJwks.Protocol;
using AspireJwks.Protocol.Jwks;

namespace AspireJwks.Hosting;

/// <summary>
/// Tells <c>auth</c> which APIs it issues tokens for (each audience and the scopes it owns) and to
/// which clients (each id, secret and allowed scopes). The registrations live in an annotation on
/// the auth resource and are written into its environment when it starts, so a registration made
/// after AppHost.cs ran (a test adding a service) counts too.
/// </summary>
internal static class TokenIssuerRegistry
{
    private const int MaximumResourceNameLength = 64;

    public static void RegisterApi(IResourceBuilder<ProjectResource> auth, string audience, IReadOnlyList<string> scopes)
    {
        if (!AccessTokenProtocol.IsAudience(audience))
        {
            throw new ArgumentException($"The audience '{audience}' must be 1 to 256 visible ASCII characters, without spaces.", nameof(audience));
        }
        var registrations = RegistrationsOf(auth);
        CheckScopes(scopes, $"API '{audience}'");
        if (registrations.Apis.Any(api => api.Audience == audience))
        {
            throw new InvalidOperationException($"The API '{audience}' is already registered with '{auth.Resource.Name}'.");
        }
        foreach (var owner in registrations.Apis)
        {
            if (owner.Scopes.Intersect(scopes, StringComparer.Ordinal).FirstOrDefault() is { } shared)
            {
                throw new InvalidOperationException(
                    $"The scope '{shared}' of the API '{audience}' is already owned by the API '{owner.Audience}'; a scope belongs to one API.");
            }
        }
        registrations.Apis.Add(new ApiRegistration(audience, [.. scopes]));
    }

    public static void RegisterClient(
        IResourceBuilder<ProjectResource> auth, string clientId, IResourceBuilder<ParameterResource> clientSecret, IReadOnlyList<string> scopes,
        ClientKeyParameters? keys = null) =>
        Register(auth, new ClientRegistration(clientId, clientId, clientSecret.Resource, [.. scopes], keys));

    public static void RegisterClient(
        IResourceBuilder<ProjectResource> auth,
        IResourceBuilder<ParameterResource> clientId,
        IResourceBuilder<ParameterResource> clientSecret,
        IReadOnlyList<string> scopes,
        ClientKeyParameters? keys = null)
    {
        Register(auth, new ClientRegistration(clientId.Resource.Name, clientId.Resource, clientSecret.Resource, [.. scopes], keys));
        auth.WithReferenceRelationship(clientId.Resource);
    }

    private static void Register(IResourceBuilder<ProjectResource> auth, ClientRegistration client)
    {
        var registrations = RegistrationsOf(auth);
        CheckScopes(client.Scopes, $"client '{client.Name}'");
        if (!client.ClientSecret.Secret)
        {
            throw new ArgumentException($"The client secret '{client.ClientSecret.Name}' must be a secret parameter, so the dashboard hides it.", nameof(client));
        }
        if (registrations.Clients.Any(registered => registered.Name == client.Name))
        {
            throw new InvalidOperationException($"The client id '{client.Name}' is already registered with '{auth.Resource.Name}'.");
        }
        if (auth.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            var digest = AddSecretDigestParameter(auth.ApplicationBuilder, client.ClientSecret);
            client = client with { SecretDigest = digest.Resource };
            auth.WithReferenceRelationship(digest);
        }
        else
        {
            auth.WithReferenceRelationship(client.ClientSecret);
        }
        registrations.Clients.Add(client);
        if (client.Keys?.Jwks is { } jwks)
        {
            auth.WithReferenceRelationship(jwks.Resource);
        }
    }

    /// <summary>
    /// Published, the AppHost has no secret to hash: auth is given <c>&lt;secret&gt;-sha256</c>, a
    /// secret parameter the operator fills with the digest of the secret they give the client.
    /// </summary>
    private static IResourceBuilder<ParameterResource> AddSecretDigestParameter(IDistributedApplicationBuilder builder, ParameterResource secret)
    {
        var name = $"{secret.Name}-sha256";
        if (name.Length > MaximumResourceNameLength)
        {
            throw new InvalidOperationException(
                $"Publishing gives auth the digest of '{secret.Name}' in the parameter '{name}', longer than the {MaximumResourceNameLength} characters " +
                "a parameter's name may have: to publish, name the client's secret parameter with at most 57 characters (a client id of at most 50).");
        }
        return builder.AddParameter(name, secret: true);
    }

    private static TokenIssuerRegistrations RegistrationsOf(IResourceBuilder<ProjectResource> auth)
    {
        if (auth.Resource.TryGetLastAnnotation<TokenIssuerRegistrations>(out var existing))
        {
            return existing;
        }
        var registrations = new TokenIssuerRegistrations();
        auth.WithAnnotation(registrations).WithEnvironment(registrations.WriteEnvironmentAsync);
        return registrations;
    }

    private static void CheckScopes(IReadOnlyList<string> scopes, string owner)
    {
        if (scopes.Count == 0)
        {
            throw new ArgumentException($"The {owner} needs at least one scope.", nameof(scopes));
        }
        if (scopes.FirstOrDefault(scope => !AccessTokenProtocol.IsScopeToken(scope)) is { } invalid)
        {
            throw new ArgumentException(
                $"The {owner} has the scope '{invalid}', which is not an RFC 6749 scope token (1 to 128 visible ASCII characters other than '\"' and '\\').",
                nameof(scopes));
        }
        if (scopes.GroupBy(scope => scope, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1) is { } repeated)
        {
            throw new ArgumentException($"The {owner} lists the scope '{repeated.Key}' twice.", nameof(scopes));
        }
    }

}

/// <summary>The registrations of one auth resource, written into its environment each time it starts.</summary>
internal sealed class TokenIssuerRegistrations : IResourceAnnotation
{
    public const int MinimumSecretLength = 16;

    public List<ApiRegistration> Apis { get; } = [];

    public List<ClientRegistration> Clients { get; } = [];

    public async Task WriteEnvironmentAsync(EnvironmentCallbackContext context)
    {
        var environment = context.EnvironmentVariables;
        for (var i = 0; i < Apis.Count; i++)
        {
            environment[ServiceEnvironment.Auth.ApiAudience(i)] = Apis[i].Audience;
            WriteScopes(environment, Apis[i].Scopes, scope => ServiceEnvironment.Auth.ApiScope(i, scope));
        }
        for (var i = 0; i < Clients.Count; i++)
        {
            var client = Clients[i];
            environment[ServiceEnvironment.Auth.ClientId(i)] = client.ClientId;
            if (context.ExecutionContext.IsPublishMode)
            {
                // A manifest holds no values to hash or derive from: auth refers to the parameters
                // the operator fills with the digest and the public keys.
                environment[ServiceEnvironment.Auth.ClientSecretSha256(i)] = client.SecretDigest!;
                if (client.Keys?.Jwks is { } published)
                {
                    environment[ServiceEnvironment.Auth.ClientJwks(i)] = published.Resource;
                }
            }
            else
            {
                environment[ServiceEnvironment.Auth.ClientSecretSha256(i)] = await SecretDigestAsync(client.ClientSecret, context.CancellationToken);
                if (await PublicKeysAsync(client.Keys, context.CancellationToken) is { } jwks)
                {
                    environment[ServiceEnvironment.Auth.ClientJwks(i)] = jwks;
                }
            }
            WriteScopes(environment, client.Scopes, scope => ServiceEnvironment.Auth.ClientScope(i, scope));
        }
    }

    private static void WriteScopes(Dictionary<string, object> environment, IReadOnlyList<string> scopes, Func<int, string> name)
    {
        for (var j = 0; j < scopes.Count; j++)
        {
            environment[name(j)] = scopes[j];
        }
    }

    /// <summary>
    /// The public keys auth checks the client's assertions with: the operator's JWKS, or the public
    /// JWK of the service's own key. The private key never enters auth's environment.
    /// </summary>
    private static async Task<string?> PublicKeysAsync(ClientKeyParameters? keys, CancellationToken cancellationToken)
    {
        if (keys?.Jwks is { } jwks)
        {
            return await jwks.Resource.GetValueAsync(cancellationToken);
        }
        if (keys?.Key is not { } key)
        {
            return null;
        }
        var pem = await key.Resource.GetValueAsync(cancellationToken) ?? "";
        if (!ClientSigningKey.TryRead(pem, out var credentials, out var problem))
        {
            throw new InvalidOperationException($"Parameter '{key.Resource.Name}' {problem}.");
        }
        return ClientSigningKey.PublicJwks(credentials);
    }

    /// <summary>
    /// Base64url (unpadded) SHA-256 of the UTF-8 secret: what Auth compares a presented secret
    /// against. The secret itself never enters Auth's environment, where the dashboard and
    /// /proc/&lt;pid&gt;/environ would show it.
    /// </summary>
    private static async Task<string> SecretDigestAsync(ParameterResource secret, CancellationToken cancellationToken)
    {
        var value = await secret.GetValueAsync(cancellationToken);
        if (value is null || value.Length < MinimumSecretLength)
        {
            // Auth only ever sees the digest, so the secret's strength is checked here.
            throw new InvalidOperationException(
                $"Parameter '{secret.Name}' must be at least {MinimumSecretLength} characters: a client secret must be too long to guess.");
        }
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }
}

internal sealed record ApiRegistration(string Audience, IReadOnlyList<string> Scopes);

/// <param name="Name">How the client is named in messages: its id, or the name of the parameter that holds it.</param>
/// <param name="ClientId">The id itself: a text, or a parameter resolved when auth starts.</param>
/// <param name="Keys">The client's keys for private_key_jwt, or null for a secret only.</param>
/// <param name="SecretDigest">When publishing, the parameter that holds the secret's digest for auth; null in a run, which computes it.</param>
internal sealed record ClientRegistration(
    string Name, object ClientId, ParameterResource ClientSecret, IReadOnlyList<string> Scopes, ClientKeyParameters? Keys = null,
    ParameterResource? SecretDigest = null);
