using System.Security.Claims;
using System.Text.Json.Serialization;
using AspireJwks.Api.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireJwks.Api.Endpoints;

/// <summary><c>GET /protected</c>: a resource that needs an access token with the read scope.</summary>
public static class ProtectedApi
{
    public static IEndpointRouteBuilder MapProtectedApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/protected", GetProtected).RequireAuthorization(ScopePolicy.ReadPolicyName);
        return app;
    }

    public static Ok<ProtectedResponse> GetProtected(ClaimsPrincipal user) =>
        TypedResults.Ok(new ProtectedResponse(
            "Protected resource accessed",
            user.FindFirstValue("sub"),
            user.FindFirstValue("client_id"),
            user.FindFirstValue(ScopePolicy.ScopeClaim)));
}

public sealed record ProtectedResponse(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("sub")] string? Sub,
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("scope")] string? Scope);
