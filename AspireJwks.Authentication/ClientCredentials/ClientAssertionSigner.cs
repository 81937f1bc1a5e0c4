using System.Security.Cryptography;
using AspireJwks.Protocol.Jwks;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Authentication.ClientCredentials;

/// <summary>
/// Signs the client's <c>private_key_jwt</c> assertions (RFC 7523 section 2.2) with its own key:
/// <c>iss</c> = <c>sub</c> = the client id, <c>aud</c> = the issuer, a fresh <c>jti</c>, valid
/// for one minute, as IdentityModel's handler writes JWTs.
/// </summary>
internal sealed class ClientAssertionSigner
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials? _credentials;
    private readonly ClientCredentialsOptions _options;
    private readonly TimeProvider _timeProvider;

    public ClientAssertionSigner(IOptions<ClientCredentialsOptions> options, TimeProvider timeProvider)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        if (_options.UsesPrivateKeyJwt && ClientSigningKey.TryRead(_options.SigningKey!, out var credentials, out _))
        {
            _credentials = credentials;
        }
    }

    /// <summary>Whether this client authenticates with assertions rather than its secret.</summary>
    public bool Enabled => _credentials is not null;

    public string Create()
    {
        var now = _timeProvider.GetUtcNow();
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.ClientId,
            Audience = _options.Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = _credentials ?? throw new InvalidOperationException("This client has no signing key."),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = _options.ClientId,
                [JwtRegisteredClaimNames.Jti] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            },
        });
    }
}
