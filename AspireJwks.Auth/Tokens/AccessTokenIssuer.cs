using AspireJwks.ServiceDefaults;
using System.Security.Cryptography;
using AspireJwks.Auth.Keys;
using AspireJwks.Auth.Options;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Auth.Tokens;

/// <summary>Creates RFC 9068 access tokens signed with the active key of the ring.</summary>
public sealed class AccessTokenIssuer(SigningKeyRing keyRing, IOptions<AuthOptions> options, TimeProvider timeProvider)
{
    // Thread-safe and reusable; times come from TimeProvider, not from the handler's own clock.
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public IssuedAccessToken Issue(string clientId, ScopeGrant grant)
    {
        var now = timeProvider.GetUtcNow();
        var lifetime = options.Value.TokenLifetime!.Value;
        var credentials = keyRing.Current.SigningCredentials;
        var jti = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));

        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = AccessTokenProtocol.TokenType,
            Issuer = options.Value.Issuer,
            Audience = grant.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = credentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = clientId,
                [AccessTokenProtocol.Claims.ClientId] = clientId,
                [AccessTokenProtocol.Claims.Scope] = grant.Scope,
                [JwtRegisteredClaimNames.Jti] = jti,
            },
        });

        return new IssuedAccessToken(token, (int)lifetime.TotalSeconds, jti, credentials.Key.KeyId, credentials.Algorithm);
    }
}

/// <summary>A token and the facts about it that telemetry may show (never the token itself).</summary>
public sealed record IssuedAccessToken(string Token, int ExpiresInSeconds, string Jti, string Kid, string Algorithm);
