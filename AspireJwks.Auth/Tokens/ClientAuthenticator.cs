using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AspireJwks.Auth.Options;
using Microsoft.Extensions.Options;

namespace AspireJwks.Auth.Tokens;

/// <summary>
/// Authenticates OAuth clients by <c>client_secret_basic</c> or <c>client_secret_post</c>
/// (RFC 6749 section 2.3.1). Secrets are compared as SHA-256 digests in constant time, and an
/// unknown client costs the same comparison as a known one, so neither the answer nor its timing
/// tells which client ids exist.
/// </summary>
public sealed class ClientAuthenticator
{
    private static readonly byte[] UnknownClientDigest = SHA256.HashData("no such client"u8);

    private readonly Dictionary<string, (ClientRegistration Client, byte[] SecretDigest)> _clients;

    public ClientAuthenticator(IOptions<AuthOptions> options) =>
        _clients = options.Value.Clients.ToDictionary(
            client => client.ClientId,
            client => (client, SHA256.HashData(Encoding.UTF8.GetBytes(client.ClientSecret))),
            StringComparer.Ordinal);

    public ClientAuthenticationResult Authenticate(string? authorizationHeader, string? formClientId, string? formClientSecret)
    {
        var hasBasic = authorizationHeader is not null;
        var hasPost = formClientId is not null || formClientSecret is not null;
        if (hasBasic && hasPost)
        {
            // RFC 6749 2.3: a client must not use more than one authentication method per request.
            return ClientAuthenticationResult.Fail(OAuthError.InvalidRequest("Use either HTTP Basic or form credentials, not both."));
        }
        if (!hasBasic && !hasPost)
        {
            return ClientAuthenticationResult.Fail(OAuthError.InvalidClient);
        }

        string? clientId = formClientId, clientSecret = formClientSecret;
        if (hasBasic && !TryParseBasic(authorizationHeader!, out clientId, out clientSecret))
        {
            return ClientAuthenticationResult.Fail(OAuthError.InvalidClient);
        }

        var presentedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(clientSecret ?? ""));
        var known = _clients.TryGetValue(clientId ?? "", out var registration);
        var secretMatches = CryptographicOperations.FixedTimeEquals(
            presentedDigest, known ? registration.SecretDigest : UnknownClientDigest);

        return known && secretMatches && clientSecret is not null
            ? ClientAuthenticationResult.Success(registration.Client)
            : ClientAuthenticationResult.Fail(OAuthError.InvalidClient);
    }

    private static bool TryParseBasic(string header, [NotNullWhen(true)] out string? clientId, [NotNullWhen(true)] out string? clientSecret)
    {
        clientId = clientSecret = null;
        if (!AuthenticationHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
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

public sealed record ClientAuthenticationResult(ClientRegistration? Client, OAuthError? Error)
{
    public static ClientAuthenticationResult Success(ClientRegistration client) => new(client, null);

    public static ClientAuthenticationResult Fail(OAuthError error) => new(null, error);
}
