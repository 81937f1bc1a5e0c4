using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspireJwks.Api.Endpoints;

/// <summary>
/// <c>GET /public</c>: answers without a token. It exists as the benchmark's baseline: the same
/// process, middleware and serialization as <c>/protected</c> minus the token validation, so the
/// difference between the two is what validation costs. It reveals nothing.
/// </summary>
public static class PublicApi
{
    public static IEndpointRouteBuilder MapPublicApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/public", GetPublic).AllowAnonymous();
        return app;
    }

    private static readonly PublicResponse Response = new("Public resource accessed");

    public static Ok<PublicResponse> GetPublic() => TypedResults.Ok(Response);
}

public sealed record PublicResponse([property: JsonPropertyName("message")] string Message);
