using System.ComponentModel.DataAnnotations;
using AspireJwks.Protocol;
using AspireJwks.Protocol.Jwks;
using Microsoft.Extensions.Options;

namespace AspireJwks.Authentication.ClientCredentials;

// Bound from the "ClientCredentials" section, which the AppHost's WithClientCredentials supplies:
// { "Authority": "https+http://auth", "Issuer": "http://localhost:3001", "ClientId": "reporter",
//   "ClientSecret": "...", "SigningKey": "-----BEGIN PRIVATE KEY-----...", "AuthenticationMethod": "private_key_jwt" }
internal sealed class ClientCredentialsOptions
{
    public const string SectionName = "ClientCredentials";

    /// <summary>The token issuer's base address as service discovery knows it; tokens come from its <c>/token</c>.</summary>
    [Required]
    public string Authority { get; set; } = "";

    /// <summary>The issuer's identifier (its tokens' <c>iss</c>): the audience of this client's assertions. Needed with <see cref="SigningKey"/>.</summary>
    public string? Issuer { get; set; }

    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>The client's secret, for <c>client_secret_basic</c>; optional when it has a <see cref="SigningKey"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The client's private key (PKCS#8 PEM, EC P-256 or RSA) for <c>private_key_jwt</c>: its public part is registered with the issuer.</summary>
    public string? SigningKey { get; set; }

    /// <summary><c>private_key_jwt</c> or <c>client_secret_basic</c>; by default the key when there is one, else the secret.</summary>
    public string? AuthenticationMethod { get; set; }

    /// <summary>The method in force, after the default.</summary>
    public bool UsesPrivateKeyJwt => AuthenticationMethod is null ? SigningKey is { Length: > 0 } : AuthenticationMethod == ClientAuthenticationMethods.PrivateKeyJwt;
}

/// <summary>Which credentials the method in force needs: a key and the issuer for assertions, a secret otherwise.</summary>
internal sealed class ClientCredentialsOptionsRules : IValidateOptions<ClientCredentialsOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientCredentialsOptions options)
    {
        if (options.AuthenticationMethod is not (null or ClientAuthenticationMethods.SecretBasic or ClientAuthenticationMethods.PrivateKeyJwt))
        {
            return ValidateOptionsResult.Fail(
                $"ClientCredentials:AuthenticationMethod must be {ClientAuthenticationMethods.PrivateKeyJwt} or {ClientAuthenticationMethods.SecretBasic}.");
        }
        if (options.UsesPrivateKeyJwt)
        {
            if (string.IsNullOrEmpty(options.SigningKey) || string.IsNullOrEmpty(options.Issuer))
            {
                return ValidateOptionsResult.Fail("ClientCredentials:SigningKey and ClientCredentials:Issuer are needed for private_key_jwt.");
            }
            return ClientSigningKey.TryRead(options.SigningKey, out _, out var problem)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"ClientCredentials:SigningKey {problem}.");
        }
        return string.IsNullOrEmpty(options.ClientSecret)
            ? ValidateOptionsResult.Fail("ClientCredentials:ClientSecret is needed for client_secret_basic.")
            : ValidateOptionsResult.Success;
    }
}

[OptionsValidator]
internal sealed partial class ClientCredentialsOptionsValidator : IValidateOptions<ClientCredentialsOptions>;
