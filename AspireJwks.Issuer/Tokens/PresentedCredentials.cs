using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Text;
using AspireJwks.Protocol;

namespace AspireJwks.Issuer.Tokens;

/// <summary>
/// The client credentials a token request presents, before anything is checked against them:
/// <c>client_secret_basic</c> or <c>client_secret_post</c> (RFC 6749 section 2.3.1), or a JWT
/// client assertion for <c>private_key_jwt</c> (RFC 7523 section 2.2). <see cref="Error"/> is set
/// when the request presents none, more than one method at once, or a malformed one.
/// </summary>
/// <param name="Method">One of <see cref="ClientAuthenticationMethods"/>; empty when <see cref="Error"/> is set.</param>
internal sealed record PresentedCredentials(string? ClientId, string? ClientSecret, string? Assertion, string Method, OAuthError? Error)
{
    public static PresentedCredentials Read(
        string? authorizationHeader, string? formClientId, string? formClientSecret, string? assertionType = null, string? assertion = null)
    {
        var hasBasic = authorizationHeader is not null;
        if (assertionType is not null || assertion is not null)
        {
            if (hasBasic || formClientSecret is not null)
            {
                // RFC 6749 2.3: a client must not use more than one authentication method per request.
                return Invalid(OAuthError.InvalidRequest("Use one client authentication method: a client assertion or a secret, not both."));
            }
            if (assertionType != ClientAuthenticationMethods.JwtBearerAssertionType || string.IsNullOrEmpty(assertion))
            {
                return Invalid(OAuthError.InvalidRequest($"A client assertion needs client_assertion_type {ClientAuthenticationMethods.JwtBearerAssertionType} and a client_assertion."));
            }
            // The client_id parameter is optional here; when sent, it must name the assertion's client.
            return new(formClientId, null, assertion, ClientAuthenticationMethods.PrivateKeyJwt, null);
        }

        var hasPost = formClientId is not null || formClientSecret is not null;
        if (hasBasic && hasPost)
        {
            return Invalid(OAuthError.InvalidRequest("Use either HTTP Basic or form credentials, not both."));
        }
        if (hasPost)
        {
            return new(formClientId, formClientSecret, null, ClientAuthenticationMethods.SecretPost, null);
        }
        return hasBasic && TryParseBasic(authorizationHeader!, out var clientId, out var clientSecret)
            ? new(clientId, clientSecret, null, ClientAuthenticationMethods.SecretBasic, null)
            : Invalid(OAuthError.InvalidClient);
    }

    private static PresentedCredentials Invalid(OAuthError error) => new(null, null, null, "", error);

    private static bool TryParseBasic(string header, [NotNullWhen(true)] out string? clientId, [NotNullWhen(true)] out string? clientSecret)
    {
        clientId = clientSecret = null;
        if (!AuthenticationHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Scheme, AccessTokenProtocol.BasicScheme, StringComparison.OrdinalIgnoreCase)
            || parsed.Parameter is null)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(parsed.Parameter));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }
        // RFC 6749 2.3.1: both parts are form-urlencoded before being joined.
        clientId = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
        clientSecret = Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
        return true;
    }
}
