using System.Buffers.Text;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using AspireJwks.Auth.Options;
using AspireJwks.Auth.Registry;
using Microsoft.Extensions.Options;

namespace AspireJwks.Auth.Tokens;

/// <summary>
/// Authenticates OAuth clients against the SHA-256 digests of their secrets, which are all Auth
/// ever holds. The digest of the presented secret is compared in constant time, and an unknown
/// client costs the same comparison as a known one, so neither the answer nor its timing tells
/// which client ids exist.
/// </summary>
public sealed class ClientAuthenticator
{
    private static readonly byte[] UnknownClientDigest = SHA256.HashData("no such client"u8);

    private readonly FrozenDictionary<string, (RegisteredClient Client, byte[] SecretDigest)> _clients;

    public ClientAuthenticator(IOptions<AuthOptions> options, IssuerRegistry registry) =>
        _clients = options.Value.Clients.ToFrozenDictionary(
            client => client.ClientId,
            client => (registry.FindClient(client.ClientId)!, Base64Url.DecodeFromChars(client.SecretSha256)),
            StringComparer.Ordinal);

    public ClientAuthenticationResult Authenticate(PresentedCredentials credentials)
    {
        if (credentials.Error is { } error)
        {
            return ClientAuthenticationResult.Fail(error);
        }

        var presentedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(credentials.ClientSecret ?? ""));
        var known = _clients.TryGetValue(credentials.ClientId ?? "", out var registration);
        var secretMatches = CryptographicOperations.FixedTimeEquals(
            presentedDigest, known ? registration.SecretDigest : UnknownClientDigest);

        return known && secretMatches && credentials.ClientSecret is not null
            ? ClientAuthenticationResult.Success(registration.Client)
            : ClientAuthenticationResult.Fail(OAuthError.InvalidClient);
    }
}

public sealed record ClientAuthenticationResult(RegisteredClient? Client, OAuthError? Error)
{
    public static ClientAuthenticationResult Success(RegisteredClient client) => new(client, null);

    public static ClientAuthenticationResult Fail(OAuthError error) => new(null, error);
}
