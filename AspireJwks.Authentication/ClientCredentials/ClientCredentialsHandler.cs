using System.Net;
using System.Net.Http.Headers;
using AspireJwks.Protocol;

namespace AspireJwks.Authentication.ClientCredentials;

/// <summary>
/// Puts an access token for its scopes on every request of the HttpClient it belongs to, as Bearer
/// or, when <paramref name="dpop"/>, as a DPoP-bound token (the <see cref="DPoP.DPoPProofHandler"/>
/// after this one adds each request's proof). When the API answers 401 with
/// <c>error="invalid_token"</c> (the token was revoked, or its key rotated away), it fetches a
/// fresh token and sends the request once more.
/// </summary>
internal sealed class ClientCredentialsHandler(AccessTokenCache tokens, string scope, bool dpop = false) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(scope, cancellationToken, dpop);
        request.Headers.Authorization = new AuthenticationHeaderValue(token.Scheme, token.Value);
        var response = await base.SendAsync(request, cancellationToken);
        if (!IsInvalidToken(response) || !CanSendAgain(request))
        {
            return response;
        }

        tokens.Invalidate(scope, token, dpop);
        response.Dispose();
        var fresh = await tokens.GetAsync(scope, cancellationToken, dpop);
        request.Headers.Authorization = new AuthenticationHeaderValue(fresh.Scheme, fresh.Value);
        return await base.SendAsync(request, cancellationToken);
    }

    private static bool IsInvalidToken(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Unauthorized
        && response.Headers.WwwAuthenticate.Any(challenge =>
            (challenge.Scheme.Equals(AccessTokenProtocol.BearerScheme, StringComparison.OrdinalIgnoreCase)
             || challenge.Scheme.Equals(AccessTokenProtocol.DPoPScheme, StringComparison.OrdinalIgnoreCase))
            && challenge.Parameter?.Contains("error=\"invalid_token\"", StringComparison.Ordinal) == true);

    // A body that was streamed cannot be sent twice; a buffered one (or none) can.
    private static bool CanSendAgain(HttpRequestMessage request) =>
        request.Content is null or ByteArrayContent;
}
