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

    public static bool HasScope(ClaimsPrincipal user, string scope) =>
        user.FindAll(ScopeClaim)
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);
}
