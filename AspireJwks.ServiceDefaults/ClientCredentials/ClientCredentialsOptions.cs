using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AspireJwks.ServiceDefaults.ClientCredentials;

// Bound from the "ClientCredentials" section, which the AppHost's WithClientCredentials supplies:
// { "Authority": "https+http://auth", "ClientId": "reporter", "ClientSecret": "..." }
public sealed class ClientCredentialsOptions
{
    public const string SectionName = "ClientCredentials";

    /// <summary>The token issuer's base address as service discovery knows it; tokens come from its <c>/token</c>.</summary>
    [Required]
    public string Authority { get; set; } = "";

    [Required]
    public string ClientId { get; set; } = "";

    [Required]
    public string ClientSecret { get; set; } = "";
}

[OptionsValidator]
public sealed partial class ClientCredentialsOptionsValidator : IValidateOptions<ClientCredentialsOptions>;
