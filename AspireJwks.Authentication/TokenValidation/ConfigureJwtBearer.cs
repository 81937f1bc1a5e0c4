using AspireJwks.Protocol;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Authentication.TokenValidation;

/// <summary>
/// JwtBearer with every lenient default tightened: AspireJwks's own token handler (strict reading,
/// one algorithm per key, keys from <see cref="Jwks.JwksKeySource"/>), exact issuer and audience
/// (no trailing-slash leniency), <c>typ</c> <c>at+jwt</c>, a skew of seconds, no claim renaming,
/// no error details sent to clients, and the events that tie in the cache and the telemetry.
/// A post-configuration registered after JwtBearer's own, so it has the last word: ASP.NET Core
/// replaces the validation parameters with looser ones when an <c>Authentication:Schemes:Bearer</c>
/// configuration section has any key, and no setting may undo a strict check.
/// </summary>
internal sealed class ConfigureJwtBearer(IOptions<TokenValidationOptions> validation, AccessTokenHandler handler)
    : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }
        var settings = validation.Value;
        options.EventsType = typeof(TokenValidationEvents);
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(handler);
        // The handler reads the keys itself; with no configuration manager JwtBearer fetches no metadata.
        options.ConfigurationManager = null;
        options.MapInboundClaims = false;
        // JwtBearer's default copies every accepted token into the request's AuthenticationProperties;
        // nothing here reads it back, and a bearer credential kept where any code can reach it is one
        // more place for it to leak from (and a dictionary write per request).
        options.SaveToken = false;
        options.IncludeErrorDetails = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            ValidTypes = [AccessTokenProtocol.TokenType, AccessTokenProtocol.TokenMediaType],
            ClockSkew = settings.ClockSkew!.Value,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            RequireAudience = true,
            AuthenticationType = JwtBearerDefaults.AuthenticationScheme,
            NameClaimType = "sub",
            RoleClaimType = "roles",
        };
    }
}
