using System.Security.Claims;
using AspireJwks.Protocol;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace AspireJwks.Authentication.TokenValidation;

/// <summary>
/// The scopes an endpoint accepts (any one of them, as Microsoft.Identity.Web's RequireScope), as
/// endpoint metadata: the authorization policy checks them, the 403 challenge names them.
/// </summary>
internal sealed class RequiredScopes
{
    public RequiredScopes(IReadOnlyList<string> scopes)
    {
        if (scopes.Count == 0 || !scopes.All(AccessTokenProtocol.IsScopeToken))
        {
            throw new ArgumentException("Name at least one scope; a scope is printable ASCII without spaces, quotes or backslashes (RFC 6749 section 3.3).", nameof(scopes));
        }
        Scopes = scopes;
        SpaceSeparated = string.Join(' ', scopes);
    }

    public IReadOnlyList<string> Scopes { get; }

    public string SpaceSeparated { get; }

    /// <summary>The endpoint's policy: a valid access token (JwtBearer) whose scope grants one of <see cref="Scopes"/>.</summary>
    public AuthorizationPolicy Policy() =>
        new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => AreGrantedTo(context.User))
            .Build();

    /// <summary>Whether the space-separated <c>scope</c> claim (RFC 9068 section 2.2.3) grants one of the scopes; exact and case-sensitive.</summary>
    public bool AreGrantedTo(ClaimsPrincipal user)
    {
        // Runs on every authorized request: walks the list in place instead of splitting it into new strings.
        foreach (var claim in user.FindAll(AccessTokenClaimNames.Scope))
        {
            var granted = claim.Value.AsSpan();
            foreach (var range in granted.Split(' '))
            {
                foreach (var scope in Scopes)
                {
                    if (granted[range].SequenceEqual(scope))
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

}
