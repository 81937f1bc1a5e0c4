using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AspireJwks.Client;

// Bound from the "Client" section, which the AppHost supplies:
// { "ClientId": "demo-client", "ClientSecret": "...", "Scope": "api.read",
//   "AuthAddress": "https+http://auth", "ApiAddress": "https+http://api" }
public sealed class ClientOptions
{
    public const string SectionName = "Client";

    [Required]
    public string ClientId { get; set; } = "";

    [Required]
    public string ClientSecret { get; set; } = "";

    [Required]
    public string Scope { get; set; } = "api.read";

    [Required]
    public string AuthAddress { get; set; } = "https+http://auth";

    [Required]
    public string ApiAddress { get; set; } = "https+http://api";

    /// <summary>A cached token is replaced this long before it expires, so it never expires in flight.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RenewBeforeExpiry { get; set; } = TimeSpan.FromSeconds(30);
}

[OptionsValidator]
public sealed partial class ClientOptionsValidator : IValidateOptions<ClientOptions>;
