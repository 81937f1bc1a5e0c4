using System.Security.Cryptography;
using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Options;
using AspireJwks.Protocol;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Issuer.Tokens;

/// <summary>Creates RFC 9068 access tokens signed with the active key of the ring.</summary>
internal sealed class AccessTokenIssuer(SigningKeyRing keyRing, IOptions<AuthOptions> options, TimeProvider timeProvider)
{
    // Thread-safe and reusable; times come from TimeProvider, not from the handler's own clock.
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <param name="boundTo">The thumbprint of the client's DPoP key, for a token only that key's proofs may present (RFC 9449 section 6.1); null for a Bearer token.</param>
    public IssuedAccessToken Issue(string clientId, ScopeGrant grant, string? boundTo = null)
    {
        var now = timeProvider.GetUtcNow();
        var lifetime = options.Value.TokenLifetime!.Value;
        var credentials = keyRing.Current.SigningCredentials;
        var jti = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));

        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = clientId,
            [AccessTokenClaimNames.ClientId] = clientId,
            [AccessTokenClaimNames.Scope] = grant.Scope,
            [JwtRegisteredClaimNames.Jti] = jti,
        };
        if (boundTo is not null)
        {
            claims[AccessTokenClaimNames.Confirmation] = new Dictionary<string, object> { [AccessTokenClaimNames.JwkThumbprint] = boundTo };
        }
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = AccessTokenProtocol.TokenType,
            Issuer = options.Value.Issuer,
            Audience = grant.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = credentials,
            Claims = claims,
        });

        return new IssuedAccessToken(token, (int)lifetime.TotalSeconds, jti, credentials.Key.KeyId, credentials.Algorithm, boundTo is not null);
    }
}

/// <summary>A token and the facts about it that telemetry may show (never the token itself).</summary>
/// <param name="Bound">Whether the token is bound to a DPoP key: its token_type is then DPoP.</param>
internal sealed record IssuedAccessToken(string Token, int ExpiresInSeconds, string Jti, string Kid, string Algorithm, bool Bound = false)
{
    public string TokenType => Bound ? AccessTokenProtocol.DPoPScheme : AccessTokenProtocol.BearerScheme;
}
