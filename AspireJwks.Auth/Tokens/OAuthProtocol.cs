using System.Text.Json.Serialization;

namespace AspireJwks.Auth.Tokens;

/// <summary>A successful token response (RFC 6749 section 5.1).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope);

/// <summary>An error response (RFC 6749 section 5.2).</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description)
{
    public static OAuthError InvalidRequest(string description) => new(OAuthErrorCodes.InvalidRequest, description);

    // One description for every client authentication failure, so the response cannot tell an
    // unknown client from a wrong secret.
    public static readonly OAuthError InvalidClient = new(OAuthErrorCodes.InvalidClient, "Client authentication failed.");
}

/// <summary>One step of a token request: its value, or the OAuth error that ends the request.</summary>
public sealed record OAuthResult<T>(T? Value, OAuthError? Error)
    where T : class
{
    public static implicit operator OAuthResult<T>(T value) => new(value, null);

    public static implicit operator OAuthResult<T>(OAuthError error) => new(null, error);
}

public static class OAuthGrantTypes
{
    public const string ClientCredentials = "client_credentials";
}

public static class OAuthErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string InvalidScope = "invalid_scope";

    /// <summary>RFC 8707 section 2: the <c>resource</c> names no API this server knows.</summary>
    public const string InvalidTarget = "invalid_target";

    /// <summary>RFC 9449 section 5: the DPoP proof of a token request is invalid.</summary>
    public const string InvalidDPoPProof = "invalid_dpop_proof";
}

/// <summary>How a client authenticates at the token endpoint, as discovery names the methods (RFC 8414, RFC 7523).</summary>
public static class ClientAuthenticationMethods
{
    public const string SecretBasic = "client_secret_basic";
    public const string SecretPost = "client_secret_post";
    public const string PrivateKeyJwt = "private_key_jwt";

    /// <summary>The <c>client_assertion_type</c> of a JWT client assertion (RFC 7523 section 2.2).</summary>
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
}

