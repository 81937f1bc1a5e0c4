using System.Security.Claims;
using System.Text.Json.Serialization;
using AspireJwks.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireJwks.Api.Endpoints;

/// <summary><c>GET /protected</c>: a resource that needs an access token with the <c>api.read</c> scope.</summary>
public static class ProtectedApi
{
    public const string ReadScope = "api.read";

    public static IEndpointRouteBuilder MapProtectedApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/protected", GetProtected).RequireScope(ReadScope);
        return app;
    }

    public static Ok<ProtectedResponse> GetProtected(ClaimsPrincipal user) =>
        TypedResults.Ok(new ProtectedResponse(
            "Protected resource accessed",
            user.FindFirstValue("sub"),
            user.FindFirstValue(AccessTokenClaimNames.ClientId),
            user.FindFirstValue(AccessTokenClaimNames.Scope)));
}

public sealed record ProtectedResponse(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("sub")] string? Sub,
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("scope")] string? Scope);
