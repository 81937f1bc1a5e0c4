using System.Collections.Frozen;
using AspireJwks.Issuer.Options;
using AspireJwks.Protocol.Jwks;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.Registry;

/// <summary>
/// The APIs Auth issues tokens for (each audience and the scopes it owns) and the clients it
/// issues them to (each with the scopes it may ask for), from options that
/// <see cref="RegistryRules"/> has checked: one owner per scope, unique audiences and client ids.
/// </summary>
internal sealed class IssuerRegistry
{
    private readonly FrozenDictionary<string, RegisteredApi> _apisByAudience;
    private readonly FrozenDictionary<string, RegisteredApi> _ownersByScope;
    private readonly FrozenDictionary<string, RegisteredClient> _clients;

    public IssuerRegistry(IOptions<AuthOptions> options)
    {
        var apis = options.Value.Apis
            .Select(api => new RegisteredApi(api.Audience, api.Scopes.ToFrozenSet(StringComparer.Ordinal)))
            .ToList();
        _apisByAudience = apis.ToFrozenDictionary(api => api.Audience, StringComparer.Ordinal);
        _ownersByScope = apis
            .SelectMany(api => api.Scopes, (api, scope) => KeyValuePair.Create(scope, api))
            .ToFrozenDictionary(StringComparer.Ordinal);
        _clients = options.Value.Clients
            .Select(client => new RegisteredClient(
                client.ClientId,
                client.Scopes.ToFrozenSet(StringComparer.Ordinal),
                // Checked by RegistryRules at start: a JWKS here reads without a problem.
                string.IsNullOrEmpty(client.Jwks) ? null : ClientJwks.Read(client.Jwks).Keys))
            .ToFrozenDictionary(client => client.ClientId, StringComparer.Ordinal);
        ScopesSupported = [.. _ownersByScope.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>Every scope of every API, in ordinal order: the discovery documents' <c>scopes_supported</c>.</summary>
    public IReadOnlyList<string> ScopesSupported { get; }

    public RegisteredApi? FindApi(string audience) => _apisByAudience.GetValueOrDefault(audience);

    public RegisteredApi? OwnerOf(string scope) => _ownersByScope.GetValueOrDefault(scope);

    public RegisteredClient? FindClient(string clientId) => _clients.GetValueOrDefault(clientId);
}

/// <summary>An API (resource server): the audience its tokens carry and the scopes it owns.</summary>
internal sealed record RegisteredApi(string Audience, IReadOnlySet<string> Scopes);

/// <summary>A client, the scopes it may ask for (each owned by some API), and the public keys it signs client assertions with, if any.</summary>
internal sealed record RegisteredClient(string ClientId, IReadOnlySet<string> Scopes, JwksKeySet? Keys = null);
