using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Text;
using AspireJwks.ServiceDefaults;

namespace AspireJwks.Auth.Tokens;

/// <summary>
/// The client credentials a token request presents, by <c>client_secret_basic</c> or
/// <c>client_secret_post</c> (RFC 6749 section 2.3.1), before anything is checked against them.
/// <see cref="Error"/> is set when the request presents none, two methods at once, or a malformed
/// Basic header.
/// </summary>
public sealed record PresentedCredentials(string? ClientId, string? ClientSecret, OAuthError? Error)
{
    public static PresentedCredentials Read(string? authorizationHeader, string? formClientId, string? formClientSecret)
    {
        var hasBasic = authorizationHeader is not null;
        var hasPost = formClientId is not null || formClientSecret is not null;
        if (hasBasic && hasPost)
        {
            // RFC 6749 2.3: a client must not use more than one authentication method per request.
            return Invalid(OAuthError.InvalidRequest("Use either HTTP Basic or form credentials, not both."));
        }
        if (hasPost)
        {
            return new(formClientId, formClientSecret, null);
        }
        return hasBasic && TryParseBasic(authorizationHeader!, out var clientId, out var clientSecret)
            ? new(clientId, clientSecret, null)
            : Invalid(OAuthError.InvalidClient);
    }

    private static PresentedCredentials Invalid(OAuthError error) => new(null, null, error);

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
