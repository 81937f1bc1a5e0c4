using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AspireJwks.Client;

// Bound from the "Client" section; the AppHost sets it from its client-interval parameter, when given:
// { "Interval": "00:00:05" }
public sealed class ClientRunOptions
{
    public const string SectionName = "Client";

    /// <summary>How often to call the API until stopped; unset means one run, then exit with its outcome.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan? Interval { get; set; }
}

[OptionsValidator]
public sealed partial class ClientRunOptionsValidator : IValidateOptions<ClientRunOptions>;
