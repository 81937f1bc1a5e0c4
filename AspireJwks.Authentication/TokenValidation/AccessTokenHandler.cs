using System.Security.Claims;
using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Protocol.Jose;
using Microsoft.IdentityModel.Tokens;
using R = AspireJwks.Authentication.TokenValidation.TokenRejectionReasons;

namespace AspireJwks.Authentication.TokenValidation;

/// <summary>
/// JwtBearer's token handler for AspireJwks access tokens. The token is read once, strictly, by
/// <see cref="AccessTokenReader"/>; the signature is verified by <see cref="JwsSignature"/>, the
/// platform's one-shot verify on the trusted key object the kid names (and only for the algorithm
/// that key is published for, RFC 8725 section 3.1); then IdentityModel's validators check type,
/// issuer and audience against the TokenValidationParameters JwtBearer hands in, and the lifetime
/// is checked by IdentityModel's rule on the TimeProvider. Each check that fails names its own
/// reason, so telemetry never has to guess one from an exception.
/// </summary>
internal sealed class AccessTokenHandler(AccessTokenReader reader, JwksKeySource keys, TimeProvider timeProvider) : TokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var (accessToken, rejection) = reader.Read(token);
        if (accessToken is null)
        {
            return Invalid(rejection!);
        }
        var facts = accessToken.Facts;
        var header = accessToken.Header;

        var keySet = await keys.GetAsync(CancellationToken.None);
        if (!keySet.TryGet(header.Kid, out var key))
        {
            // Perhaps a key published since the last refresh: ask for one (throttled), refuse this token now.
            keys.RequestRefresh();
            return Invalid(new TokenRejectedException(R.UnknownKid, "no trusted key has the token's kid", facts));
        }
        if (key.Algorithm != header.Algorithm)
        {
            return Invalid(new TokenRejectedException(R.AlgNotAllowed, "the token's alg is not the one its key is published for", facts));
        }
        if (!JwsSignature.Verify(key.SecurityKey, key.Algorithm, accessToken.SigningInput, accessToken.Signature))
        {
            return Invalid(new TokenRejectedException(R.BadSignature, "the signature does not verify with the key of the token's kid", facts));
        }
        accessToken.SigningKey = key.SecurityKey;

        var claims = accessToken.Claims;
        var failure =
            Check(R.WrongType, () => Validators.ValidateTokenType(header.Type, accessToken, validationParameters))
            ?? Check(R.WrongIssuer, () => Validators.ValidateIssuer(claims.Issuer, accessToken, validationParameters))
            ?? Check(R.WrongAudience, () => Validators.ValidateAudience(claims.Audiences, accessToken, validationParameters))
            ?? CheckLifetime(accessToken, validationParameters);
        if (failure is (string reason, Exception exception))
        {
            return Invalid(new TokenRejectedException(reason, exception.Message, facts, exception));
        }

        return new TokenValidationResult
        {
            IsValid = true,
            SecurityToken = accessToken,
            Issuer = claims.Issuer,
            TokenType = header.Type,
            ClaimsIdentity = new ClaimsIdentity(
                claims.All, validationParameters.AuthenticationType, validationParameters.NameClaimType, validationParameters.RoleClaimType),
        };
    }

    private static (string Reason, Exception Exception)? Check(string reason, Action validate)
    {
        try
        {
            validate();
            return null;
        }
        catch (SecurityTokenException ex)
        {
            return (reason, ex);
        }
    }

    /// <summary>
    /// IdentityModel's own lifetime rule (expired once <c>exp</c> is more than the skew in the past,
    /// not yet valid while <c>nbf</c> is more than the skew ahead), on the TimeProvider rather than
    /// the system clock IdentityModel's validator reads, so one clock decides here and in the cache.
    /// </summary>
    private (string Reason, Exception Exception)? CheckLifetime(AccessToken token, TokenValidationParameters parameters)
    {
        var now = timeProvider.GetUtcNow();
        if (token.Claims.ExpiresAt < now - parameters.ClockSkew)
        {
            return (R.Expired, new SecurityTokenExpiredException("The token has expired."));
        }
        if (token.Claims.NotBefore > now + parameters.ClockSkew)
        {
            return (R.NotYetValid, new SecurityTokenNotYetValidException("The token is not valid yet."));
        }
        return null;
    }

    private static TokenValidationResult Invalid(TokenRejectedException rejection) => new() { IsValid = false, Exception = rejection };
}
