using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AspireJwks.Authentication.TokenValidation;

// Bound from the "TokenValidation" section, which the AppHost's WithTokenValidation supplies; every
// member is required, so a service started without it stops at once naming the missing setting:
// { "Issuer": "http://localhost:3001", "Audience": "aspirejwks-api", "Authority": "https+http://auth",
//   "JwksRefreshInterval": "00:01:00", "ClockSkew": "00:00:30", "ValidationCacheLifetime": "00:00:30" }
internal sealed class TokenValidationOptions
{
    public const string SectionName = "TokenValidation";

    /// <summary>The exact <c>iss</c> every token must carry.</summary>
    [Required, Url]
    public string Issuer { get; set; } = "";

    /// <summary>The audience this API answers to; a token's <c>aud</c> must contain it.</summary>
    [Required]
    public string Audience { get; set; } = "";

    /// <summary>The issuer's base address as service discovery knows it (<c>https+http://auth</c>); the JWKS is fetched from there.</summary>
    [Required]
    public string Authority { get; set; } = "";

    /// <summary>How often the JWKS is fetched, and the throttle for fetches asked for by unknown kids.</summary>
    [Required, Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan? JwksRefreshInterval { get; set; }

    /// <summary>Allowance for clock differences on <c>exp</c>, <c>nbf</c> and <c>iat</c>: seconds, not JwtBearer's 5-minute default.</summary>
    [Required, Range(typeof(TimeSpan), "00:00:00", "00:02:00")]
    public TimeSpan? ClockSkew { get; set; }

    /// <summary>How long the result of validating one exact token may be reused; zero turns the cache off.</summary>
    [Required, Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan? ValidationCacheLifetime { get; set; }

    /// <summary>Refuse tokens that are not DPoP-bound (RFC 9449), so a copied token is useless without the client's key. Optional: false by default.</summary>
    public bool RequireDPoP { get; set; }
}

[OptionsValidator]
internal sealed partial class TokenValidationOptionsValidator : IValidateOptions<TokenValidationOptions>;
