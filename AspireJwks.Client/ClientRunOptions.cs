using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AspireJwks.Client;

// Bound from the "Client" section; the AppHost sets it from its client-interval parameter, when given:
// and its client-dpop parameter: { "Interval": "00:00:05", "DPoP": true }
public sealed class ClientRunOptions
{
    public const string SectionName = "Client";

    /// <summary>How often to call the API until stopped; unset means one run, then exit with its outcome.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan? Interval { get; set; }

    /// <summary>Ask for DPoP-bound tokens and prove the key on every call (RFC 9449).</summary>
    public bool DPoP { get; set; }
}

[OptionsValidator]
public sealed partial class ClientRunOptionsValidator : IValidateOptions<ClientRunOptions>;
