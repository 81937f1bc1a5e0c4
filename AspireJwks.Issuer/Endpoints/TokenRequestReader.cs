using AspireJwks.Issuer.Tokens;
using AspireJwks.Protocol.DPoP;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace AspireJwks.Issuer.Endpoints;

/// <summary>
/// Reads a token request off HTTP (RFC 6749 sections 3.2 and 4.4.2): an
/// <c>application/x-www-form-urlencoded</c> body of at most <see cref="MaxBodyBytes"/>, each
/// parameter at most once, and the client credentials from the Basic header or the form.
/// </summary>
internal static class TokenRequestReader
{
    // A client credentials request is a few hundred bytes; anything near this limit is abuse.
    public const long MaxBodyBytes = 8 * 1024;

    private static readonly OAuthError NotAForm = OAuthError.InvalidRequest("The body must be a form (application/x-www-form-urlencoded).");
    private static readonly OAuthError RepeatedParameter = OAuthError.InvalidRequest("A parameter was repeated.");
    private static readonly OAuthError SeveralProofs = new(OAuthErrorCodes.InvalidDPoPProof, "Send at most one DPoP proof.");

    public static async Task<OAuthResult<TokenRequest>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(request, cancellationToken);
        if (form is null)
        {
            return NotAForm;
        }
        foreach (var parameter in form)
        {
            if (parameter.Value.Count > 1)
            {
                // RFC 6749 3.2: parameters must not be included more than once (resource included,
                // though RFC 8707 allows it to repeat: a token here is for one API).
                return RepeatedParameter;
            }
        }

        var proofs = request.Headers[DPoPProtocol.HeaderName];
        if (proofs.Count > 1)
        {
            // RFC 9449 section 4.3: a request with more than one DPoP header is refused.
            return SeveralProofs;
        }

        var authorization = request.Headers.Authorization;
        return new TokenRequest(
            GrantType: Single(form, "grant_type"),
            Scope: Single(form, "scope"),
            Resource: Single(form, "resource"),
            Credentials: PresentedCredentials.Read(
                authorization.Count > 0 ? authorization.ToString() : null, Single(form, "client_id"), Single(form, "client_secret"),
                Single(form, "client_assertion_type"), Single(form, "client_assertion")),
            DPoPProof: proofs.Count == 1 ? proofs[0] : null,
            // As the client addressed it (the Host it sent), which its proof's htu names; only a
            // request with a proof needs it.
            TokenEndpoint: proofs.Count == 1
                && Uri.TryCreate(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path), UriKind.Absolute, out var endpoint)
                ? endpoint
                : null);
    }

    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // RFC 6749 4.4.2: the body is application/x-www-form-urlencoded; multipart is a form to
        // ASP.NET Core but not to OAuth.
        // The Content-Type parsed once (HasFormContentType and the typed headers would each parse it again).
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }

    private static string? Single(IFormCollection form, string name) =>
        form.TryGetValue(name, out StringValues values) ? values.ToString() : null;
}
