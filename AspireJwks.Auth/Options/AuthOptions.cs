using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AspireJwks.Auth.Options;

// Bound from the "Auth" section, which the AppHost supplies:
// { "Issuer": "http://localhost:3001", "KeysDirectory": "/path/keys", "TokenLifetime": "00:05:00",
//   "JwksMaxAge": "00:05:00",
//   "Clients": [ { "ClientId": "demo-client", "ClientSecret": "...", "Audience": "aspirejwks-api", "Scopes": [ "api.read" ] } ] }
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    [Required, Url]
    public string Issuer { get; set; } = "";

    [Required]
    public string KeysDirectory { get; set; } = "";

    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan JwksMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    [Required, MinLength(1), ValidateEnumeratedItems]
    public List<ClientRegistration> Clients { get; set; } = [];
}

public sealed class ClientRegistration
{
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string ClientId { get; set; } = "";

    // Long enough that guessing it online is hopeless; the AppHost generates 32 characters.
    [Required, MinLength(16)]
    public string ClientSecret { get; set; } = "";

    [Required]
    public string Audience { get; set; } = "";

    [Required, MinLength(1)]
    public List<string> Scopes { get; set; } = [];
}

[OptionsValidator]
public sealed partial class AuthOptionsValidator : IValidateOptions<AuthOptions>;
