using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Api.Authentication;

/// <summary>
/// JwtBearer with every lenient default tightened: exact issuer and audience, <c>typ</c> must be
/// <c>at+jwt</c>, only asymmetric algorithms and only the one each key is published for, a skew
/// of seconds, a kid that must match, no claim renaming and no error details sent to clients.
/// </summary>
internal sealed class ConfigureJwtBearer(IOptions<TokenValidationOptions> validation, JwksConfigurationManager keys)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public const string AccessTokenType = "at+jwt";

    // Never "none", never HMAC: a shared-secret algorithm would let anyone holding the public
    // key (everyone) forge tokens.
    public static readonly IReadOnlySet<string> AllowedAlgorithms = new HashSet<string>(StringComparer.Ordinal)
    {
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256,
    };

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        var settings = validation.Value;
        options.ConfigurationManager = keys;
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = false;
        options.RefreshOnIssuerKeyNotFound = true;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            ValidTypes = [AccessTokenType],
            AlgorithmValidator = IsAlgorithmOfKey,
            ClockSkew = settings.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            RequireAudience = true,
            TryAllIssuerSigningKeys = false,
            NameClaimType = "sub",
        };
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = StrictBearerEvents.MessageReceived,
            OnAuthenticationFailed = StrictBearerEvents.AuthenticationFailed,
            OnChallenge = BearerChallenges.Challenge,
            OnForbidden = BearerChallenges.Forbidden(settings.RequiredScope),
        };
    }

    /// <summary>
    /// One algorithm per key (RFC 8725 3.1): the token's <c>alg</c> must be the <c>alg</c> its key
    /// is published with, so a PS256 or RS512 signature made with an RS256 key is refused.
    /// </summary>
    private static bool IsAlgorithmOfKey(string algorithm, SecurityKey key, SecurityToken token, TokenValidationParameters parameters) =>
        AllowedAlgorithms.Contains(algorithm) && key is JsonWebKey { Alg: var published } && published == algorithm;
}
