using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace AspireJwks.Api.Authentication;

/// <summary>Authorization by OAuth scope: the space-separated <c>scope</c> claim (RFC 9068 section 2.2.3).</summary>
public static class ScopePolicy
{
    public const string ScopeClaim = "scope";

    public const string ReadPolicyName = "read";

    public static AuthorizationPolicy Require(string scope) =>
        new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireAssertion(context => HasScope(context.User, scope))
            .Build();

    // Runs on every authorized request: walks the space-separated list in place instead of
    // splitting it into new strings.
    public static bool HasScope(ClaimsPrincipal user, string scope)
    {
        foreach (var claim in user.FindAll(ScopeClaim))
        {
            var scopes = claim.Value.AsSpan();
            foreach (var range in scopes.Split(' '))
            {
                if (scopes[range].SequenceEqual(scope))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
