using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.Options;

// Bound from the "Auth" section, which the AppHost supplies; nothing here has a default, so a
// setting the AppHost forgot stops Auth at start with its name:
// { "Issuer": "http://localhost:3001", "KeysDirectory": "/path/keys", "TokenLifetime": "00:05:00", "JwksMaxAge": "00:01:00",
//   "Apis": [ { "Audience": "aspirejwks-api", "Scopes": [ "api.read" ] } ],
//   "Clients": [ { "ClientId": "demo-client", "SecretSha256": "<43 base64url characters>", "Jwks": "{\"keys\":[...]}", "Scopes": [ "api.read" ] } ] }
internal sealed class AuthOptions
{
    public const string SectionName = "Auth";

    [Required, Url]
    public string Issuer { get; set; } = "";

    [Required]
    public string KeysDirectory { get; set; } = "";

    [Required, Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan? TokenLifetime { get; set; }

    [Required, Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan? JwksMaxAge { get; set; }

    /// <summary>Each API (resource server) and the scopes it owns; <see cref="RegistryRules"/> checks how they fit together.</summary>
    [Required, MinLength(1), ValidateEnumeratedItems]
    public List<ApiSettings> Apis { get; set; } = [];

    [Required, MinLength(1), ValidateEnumeratedItems]
    public List<ClientSettings> Clients { get; set; } = [];
}

internal sealed class ApiSettings
{
    /// <summary>The token's aud and the value of an RFC 8707 resource parameter (checked by <see cref="RegistryRules"/>).</summary>
    [Required]
    public string Audience { get; set; } = "";

    public List<string> Scopes { get; set; } = [];
}

internal sealed class ClientSettings
{
    /// <summary>Checked by <see cref="RegistryRules"/>.</summary>
    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>
    /// Base64url (unpadded) of SHA-256 over the UTF-8 secret. Auth never holds the secret itself:
    /// a reader of its environment learns a digest that does not authenticate anyone. Optional
    /// when the client has <see cref="Jwks"/>; <see cref="RegistryRules"/> asks for one of them.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9_-]{43}$")]
    public string? SecretSha256 { get; set; }

    /// <summary>The client's public keys (a JWK Set, JSON) for <c>private_key_jwt</c>: only public keys, checked by <see cref="RegistryRules"/>.</summary>
    public string? Jwks { get; set; }

    public List<string> Scopes { get; set; } = [];
}

[OptionsValidator]
internal sealed partial class AuthOptionsValidator : IValidateOptions<AuthOptions>;
