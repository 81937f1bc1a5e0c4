using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.RateLimiting;

// Bound from the "RateLimiting" section, which the AppHost supplies from its token-rate-limit parameter:
// { "TokenRequestsPerSecond": 100 }
internal sealed class TokenRateLimitOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Token requests per second allowed per client and per address; 0 turns rate limiting off.</summary>
    [Required, Range(0, 1_000_000)]
    public int? TokenRequestsPerSecond { get; set; }

    public bool Enabled => TokenRequestsPerSecond > 0;
}

[OptionsValidator]
internal sealed partial class TokenRateLimitOptionsValidator : IValidateOptions<TokenRateLimitOptions>;
