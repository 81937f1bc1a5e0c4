using System.Buffers.Text;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using AspireJwks.Issuer.Options;
using AspireJwks.Issuer.Registry;
using AspireJwks.Protocol;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.Tokens;

/// <summary>
/// Authenticates OAuth clients: by secret, against the SHA-256 digests of the secrets, which are
/// all Auth ever holds, or by a client assertion signed with a registered key
/// (<see cref="ClientAssertionValidator"/>). The digest of a presented secret is compared in
/// constant time, and an unknown client (or one with keys only) costs the same comparison as a
/// known one, so neither the answer nor its timing tells which client ids exist.
/// </summary>
internal sealed class ClientAuthenticator
{
    private static readonly byte[] UnknownClientDigest = SHA256.HashData("no such client"u8);

    private readonly FrozenDictionary<string, (RegisteredClient Client, byte[] SecretDigest)> _secretClients;
    private readonly ClientAssertionValidator _assertions;

    public ClientAuthenticator(IOptions<AuthOptions> options, IssuerRegistry registry, ClientAssertionValidator assertions)
    {
        _secretClients = options.Value.Clients
            .Where(client => !string.IsNullOrEmpty(client.SecretSha256))
            .ToFrozenDictionary(
                client => client.ClientId,
                client => (registry.FindClient(client.ClientId)!, Base64Url.DecodeFromChars(client.SecretSha256)),
                StringComparer.Ordinal);
        _assertions = assertions;
    }

    public async ValueTask<ClientAuthenticationResult> AuthenticateAsync(PresentedCredentials credentials, CancellationToken cancellationToken)
    {
        if (credentials.Error is { } error)
        {
            return ClientAuthenticationResult.Fail(error);
        }
        if (credentials.Method == ClientAuthenticationMethods.PrivateKeyJwt)
        {
            var (client, reason) = await _assertions.ValidateAsync(credentials.Assertion!, credentials.ClientId, cancellationToken);
            return client is not null
                ? ClientAuthenticationResult.Success(client, credentials.Method)
                : ClientAuthenticationResult.Fail(OAuthError.InvalidClient, reason);
        }

        var presentedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(credentials.ClientSecret ?? ""));
        var known = _secretClients.TryGetValue(credentials.ClientId ?? "", out var registration);
        var secretMatches = CryptographicOperations.FixedTimeEquals(
            presentedDigest, known ? registration.SecretDigest : UnknownClientDigest);

        return known && secretMatches && credentials.ClientSecret is not null
            ? ClientAuthenticationResult.Success(registration.Client, credentials.Method)
            : ClientAuthenticationResult.Fail(OAuthError.InvalidClient);
    }
}

/// <param name="Method">How the client authenticated (one of <see cref="ClientAuthenticationMethods"/>), for telemetry.</param>
/// <param name="FailureReason">Why an assertion was refused, for the log only: the caller hears invalid_client whatever it is.</param>
internal sealed record ClientAuthenticationResult(RegisteredClient? Client, OAuthError? Error, string? Method = null, string? FailureReason = null)
{
    public static ClientAuthenticationResult Success(RegisteredClient client, string method) => new(client, null, method);

    public static ClientAuthenticationResult Fail(OAuthError error, string? reason = null) => new(null, error, null, reason);
}
