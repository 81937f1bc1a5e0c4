using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AspireJwks.Issuer.Endpoints;

/// <summary><c>GET /.well-known/jwks.json</c>: the public keys, cacheable and revalidated by ETag.</summary>
internal static class JwksApi
{
    public const string Path = "/.well-known/jwks.json";

    public static IEndpointRouteBuilder MapJwksApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Path, [HttpMethods.Get, HttpMethods.Head], GetJwks);
        return app;
    }

    public static Results<FileContentHttpResult, StatusCodeHttpResult> GetJwks(
        HttpContext context, SigningKeyRing keyRing, IOptions<AuthOptions> options)
    {
        var snapshot = keyRing.Current;
        var headers = context.Response.GetTypedHeaders();
        headers.CacheControl = new CacheControlHeaderValue
        {
            Public = true,
            MaxAge = options.Value.JwksMaxAge!.Value,
        };
        headers.ETag = new EntityTagHeaderValue(snapshot.JwksETag);

        // RFC 9110 13.1.2: If-None-Match uses the weak comparison.
        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(headers.ETag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(snapshot.JwksJson, "application/json");
    }
}
