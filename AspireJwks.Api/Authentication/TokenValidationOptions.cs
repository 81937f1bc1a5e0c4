using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AspireJwks.Api.Authentication;

// Bound from the "Jwt" section, which the AppHost supplies:
// { "Issuer": "http://localhost:3001", "Audience": "aspirejwks-api", "JwksAddress": "https+http://auth",
//   "RequiredScope": "api.read", "ClockSkew": "00:00:30", "JwksRefreshInterval": "00:05:00" }
public sealed class TokenValidationOptions
{
    public const string SectionName = "Jwt";

    [Required, Url]
    public string Issuer { get; set; } = "";

    [Required]
    public string Audience { get; set; } = "";

    /// <summary>The issuer's base address as service discovery knows it.</summary>
    [Required]
    public string AuthorityAddress { get; set; } = "https+http://auth";

    [Required]
    public string RequiredScope { get; set; } = "api.read";

    // Seconds, not JwtBearer's 5-minute default: the services share one clock source.
    [Range(typeof(TimeSpan), "00:00:00", "00:02:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);
}

[OptionsValidator]
public sealed partial class TokenValidationOptionsValidator : IValidateOptions<TokenValidationOptions>;
