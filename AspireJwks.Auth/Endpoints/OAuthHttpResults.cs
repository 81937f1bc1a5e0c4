using System.Reflection;
using AspireJwks.Auth.RateLimiting;
using AspireJwks.Auth.Tokens;
using AspireJwks.ServiceDefaults;
using Microsoft.AspNetCore.Http.Metadata;

namespace AspireJwks.Auth.Endpoints;

/// <summary>
/// 401 <c>invalid_client</c> (RFC 6749 section 5.2): the error, and a challenge naming the scheme
/// the client should authenticate with.
/// </summary>
public sealed class InvalidClientHttpResult(OAuthError error) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<OAuthError>, IEndpointMetadataProvider
{
    public const string Challenge = AccessTokenProtocol.BasicScheme + " realm=\"aspirejwks\", charset=\"UTF-8\"";

    public int StatusCode => StatusCodes.Status401Unauthorized;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public OAuthError Value => error;

    object? IValueHttpResult.Value => error;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.WWWAuthenticate = Challenge;
        return TypedResults.Json(error, AuthJsonContext.Default.OAuthError, statusCode: StatusCode).ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(OAuthError), ["application/json"]));
}

/// <summary>429 with Retry-After: the authenticated client is over its rate.</summary>
public sealed class TooManyRequestsHttpResult(TimeSpan retryAfter) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public int StatusCode => StatusCodes.Status429TooManyRequests;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public TimeSpan RetryAfter => retryAfter;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        TokenBuckets.WriteRejection(httpContext.Response, retryAfter);
        return Task.CompletedTask;
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests));
}
