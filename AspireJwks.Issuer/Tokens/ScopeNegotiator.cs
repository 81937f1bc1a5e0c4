using AspireJwks.Issuer.Registry;

namespace AspireJwks.Issuer.Tokens;

/// <summary>
/// Decides which API a token is for and which scopes it carries (RFC 6749 3.3, RFC 8707): the
/// audience is the one API that owns every requested scope, and <c>resource</c> may name it.
/// Descriptions never repeat what the client sent; they name at most a registered scope.
/// </summary>
internal sealed class ScopeNegotiator(IssuerRegistry registry)
{
    private static readonly OAuthError UnknownResource = new(OAuthErrorCodes.InvalidTarget, "The resource is not an API this server issues tokens for.");
    private static readonly OAuthError UnknownScope = InvalidScope("A requested scope is not a scope of any API.");
    private static readonly OAuthError ScopesOfTwoApis = InvalidScope("The requested scopes belong to more than one API; a token is for one API.");
    private static readonly OAuthError ScopesNotOfResource = InvalidScope("The requested scopes are not scopes of the resource.");
    private static readonly OAuthError NoScopeOfResource = InvalidScope("This client may ask for no scope of the resource.");
    private static readonly OAuthError Ambiguous = InvalidScope("This client's scopes belong to more than one API; name a scope or a resource.");

    /// <param name="scope">The <c>scope</c> parameter; null, empty or blank means none was asked for.</param>
    /// <param name="resource">The <c>resource</c> parameter (an API's audience); null or empty means none.</param>
    public OAuthResult<ScopeGrant> Negotiate(RegisteredClient client, string? scope, string? resource)
    {
        RegisteredApi? target = null;
        if (!string.IsNullOrEmpty(resource) && (target = registry.FindApi(resource)) is null)
        {
            // RFC 8707 2: an unknown resource is invalid_target.
            return UnknownResource;
        }

        var requested = (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return requested.Length > 0 ? GrantRequested(client, requested, target) : GrantDefault(client, target);
    }

    private OAuthResult<ScopeGrant> GrantRequested(RegisteredClient client, string[] requested, RegisteredApi? target)
    {
        RegisteredApi? audience = null;
        foreach (var scope in requested)
        {
            var owner = registry.OwnerOf(scope);
            if (!client.Scopes.Contains(scope))
            {
                return owner is null ? UnknownScope : InvalidScope($"The scope '{scope}' is not allowed for this client.");
            }
            if (audience is not null && !ReferenceEquals(audience, owner))
            {
                return ScopesOfTwoApis;
            }
            // Every scope a client may have is owned by an API (RegistryRules).
            audience = owner!;
        }
        if (target is not null && !ReferenceEquals(target, audience))
        {
            return ScopesNotOfResource;
        }
        return Grant(audience!, requested);
    }

    /// <summary>No scope asked for: all the client's scopes of the resource, or of its only API.</summary>
    private OAuthResult<ScopeGrant> GrantDefault(RegisteredClient client, RegisteredApi? target)
    {
        if (target is not null)
        {
            var ofTarget = client.Scopes.Where(target.Scopes.Contains).ToList();
            return ofTarget.Count > 0 ? Grant(target, ofTarget) : NoScopeOfResource;
        }
        var apis = client.Scopes.Select(scope => registry.OwnerOf(scope)!).Distinct().ToList();
        return apis.Count == 1 ? Grant(apis[0], client.Scopes) : Ambiguous;
    }

    // Each scope once, in ordinal order: the same grant always reads the same, whatever the request's order.
    private static OAuthResult<ScopeGrant> Grant(RegisteredApi api, IEnumerable<string> scopes) =>
        new ScopeGrant(api.Audience, string.Join(' ', scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));

    private static OAuthError InvalidScope(string description) => new(OAuthErrorCodes.InvalidScope, description);
}

/// <summary>What a token will say: the one audience, and the granted scopes space-separated.</summary>
internal sealed record ScopeGrant(string Audience, string Scope);
