using System.Globalization;
using System.Reflection;
using AspireJwks.Issuer.RateLimiting;
using AspireJwks.Issuer.Tokens;
using AspireJwks.Protocol;
using Microsoft.AspNetCore.Http.Metadata;

namespace AspireJwks.Issuer.Endpoints;

/// <summary>
/// 401 <c>invalid_client</c> (RFC 6749 section 5.2): the error, and a challenge naming the scheme
/// the client should authenticate with.
/// </summary>
internal sealed class InvalidClientHttpResult(OAuthError error) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<OAuthError>, IEndpointMetadataProvider
{
    public const string Challenge = AccessTokenProtocol.BasicScheme + " realm=\"aspirejwks\", charset=\"UTF-8\"";

    private const int StatusCode = StatusCodes.Status401Unauthorized;

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
internal sealed class TooManyRequestsHttpResult(TimeSpan retryAfter) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status429TooManyRequests;

    public TimeSpan RetryAfter => retryAfter;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        TokenBuckets.WriteRejection(httpContext.Response, retryAfter);
        return Task.CompletedTask;
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests));
}

/// <summary>
/// 503 with Retry-After and an RFC 6749-shaped error: a replay check the store could not answer.
/// The request was not let through. Its jti may have reached the store even so (the answer, not
/// the write, timed out), so a client retries with a new proof or assertion, as its own do.
/// </summary>
internal sealed class TemporarilyUnavailableHttpResult : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    /// <summary>The store is usually back within seconds; a client retries then with a new proof.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status503ServiceUnavailable;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(OAuthError.TemporarilyUnavailable, AuthJsonContext.Default.OAuthError,
            statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(OAuthError), ["application/json"]));
}
