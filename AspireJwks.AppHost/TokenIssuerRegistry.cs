using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace AspireJwks.AppHost;

/// <summary>
/// Tells <c>auth</c> which APIs it issues tokens for (each audience and the scopes it owns) and to
/// which clients (each id, secret and allowed scopes). The registrations live in an annotation on
/// the auth resource and are written into its environment when it starts, so a registration made
/// after AppHost.cs ran (a test adding a service) counts too.
/// </summary>
internal static partial class TokenIssuerRegistry
{
    public static void RegisterApi(IResourceBuilder<ProjectResource> auth, string audience, IReadOnlyList<string> scopes)
    {
        if (!AudiencePattern().IsMatch(audience))
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
        registrations.Apis.Add(new RegisteredApi(audience, [.. scopes]));
    }

    public static void RegisterClient(
        IResourceBuilder<ProjectResource> auth,
        IResourceBuilder<ParameterResource> clientId,
        IResourceBuilder<ParameterResource> clientSecret,
        IReadOnlyList<string> scopes)
    {
        var registrations = RegistrationsOf(auth);
        var name = clientId.Resource.Name;
        CheckScopes(scopes, $"client '{name}'");
        if (!clientSecret.Resource.Secret)
        {
            throw new ArgumentException($"The client secret '{clientSecret.Resource.Name}' must be a secret parameter, so the dashboard hides it.", nameof(clientSecret));
        }
        if (registrations.Clients.Any(client => client.ClientId.Name == name))
        {
            throw new InvalidOperationException($"The client id '{name}' is already registered with '{auth.Resource.Name}'.");
        }
        registrations.Clients.Add(new RegisteredClient(clientId.Resource, clientSecret.Resource, [.. scopes]));
        auth.WithReferenceRelationship(clientId.Resource).WithReferenceRelationship(clientSecret.Resource);
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
        if (scopes.FirstOrDefault(scope => !ScopeToken().IsMatch(scope)) is { } invalid)
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

    // Auth's own rules (AspireJwks.Auth.Options), repeated here because the AppHost references Auth
    // as a resource, not as a library; Auth checks them again at start.
    [GeneratedRegex(@"^[\x21\x23-\x5B\x5D-\x7E]{1,128}$")]
    private static partial Regex ScopeToken();

    [GeneratedRegex(@"^[\x21-\x7E]{1,256}$")]
    private static partial Regex AudiencePattern();
}

/// <summary>The registrations of one auth resource, written into its environment each time it starts.</summary>
internal sealed class TokenIssuerRegistrations : IResourceAnnotation
{
    public const int MinimumSecretLength = 16;

    public List<RegisteredApi> Apis { get; } = [];

    public List<RegisteredClient> Clients { get; } = [];

    public async Task WriteEnvironmentAsync(EnvironmentCallbackContext context)
    {
        var environment = context.EnvironmentVariables;
        for (var i = 0; i < Apis.Count; i++)
        {
            environment[$"Auth__Apis__{i}__Audience"] = Apis[i].Audience;
            WriteScopes(environment, $"Auth__Apis__{i}", Apis[i].Scopes);
        }
        for (var i = 0; i < Clients.Count; i++)
        {
            var client = Clients[i];
            environment[$"Auth__Clients__{i}__ClientId"] = client.ClientId;
            environment[$"Auth__Clients__{i}__SecretSha256"] = await SecretDigestAsync(client.ClientSecret, context.CancellationToken);
            WriteScopes(environment, $"Auth__Clients__{i}", client.Scopes);
        }
    }

    private static void WriteScopes(Dictionary<string, object> environment, string prefix, IReadOnlyList<string> scopes)
    {
        for (var j = 0; j < scopes.Count; j++)
        {
            environment[$"{prefix}__Scopes__{j}"] = scopes[j];
        }
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

internal sealed record RegisteredApi(string Audience, IReadOnlyList<string> Scopes);

internal sealed record RegisteredClient(ParameterResource ClientId, ParameterResource ClientSecret, IReadOnlyList<string> Scopes);
