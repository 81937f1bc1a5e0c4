using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AspireJwks.Store;

// Bound from the "Store" section; every setting has a default:
// { "Timeout": "00:00:00.500", "OutageLogInterval": "00:00:30" }
internal sealed class StoreOptions
{
    public const string SectionName = "Store";

    /// <summary>
    /// How long a request waits for the store before it is refused with 503: a loopback or
    /// same-datacentre round trip takes well under a millisecond, so this only bounds an outage.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often an outage is logged while it lasts: once when it starts, then at most once per interval.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OutageLogInterval { get; set; } = TimeSpan.FromSeconds(30);
}

[OptionsValidator]
internal sealed partial class StoreOptionsValidator : IValidateOptions<StoreOptions>;
