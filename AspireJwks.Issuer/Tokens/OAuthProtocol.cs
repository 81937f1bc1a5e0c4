using System.Text.Json.Serialization;

namespace AspireJwks.Issuer.Tokens;

/// <summary>A successful token response (RFC 6749 section 5.1).</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope);

/// <summary>An error response (RFC 6749 section 5.2).</summary>
internal sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description)
{
    public static OAuthError InvalidRequest(string description) => new(OAuthErrorCodes.InvalidRequest, description);

    // One description for every client authentication failure, so the response cannot tell an
    // unknown client from a wrong secret.
    public static readonly OAuthError InvalidClient = new(OAuthErrorCodes.InvalidClient, "Client authentication failed.");

    public static readonly OAuthError UseDPoPNonce =
        new(OAuthErrorCodes.UseDPoPNonce, "Send the request again with a DPoP proof that carries the nonce in the DPoP-Nonce header.");

    public static readonly OAuthError TemporarilyUnavailable =
        new(OAuthErrorCodes.TemporarilyUnavailable, "The request cannot be checked right now; send it again later with a new proof or assertion.");
}

/// <summary>One step of a token request: its value, or the OAuth error that ends the request.</summary>
internal sealed record OAuthResult<T>(T? Value, OAuthError? Error)
    where T : class
{
    public static implicit operator OAuthResult<T>(T value) => new(value, null);

    public static implicit operator OAuthResult<T>(OAuthError error) => new(null, error);
}

internal static class OAuthErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string InvalidScope = "invalid_scope";

    /// <summary>RFC 8707 section 2: the <c>resource</c> names no API this server knows.</summary>
    public const string InvalidTarget = "invalid_target";

    /// <summary>RFC 9449 section 5: the DPoP proof of a token request is invalid.</summary>
    public const string InvalidDPoPProof = "invalid_dpop_proof";

    /// <summary>RFC 9449 section 8: the proof must carry the server's nonce, given in the <c>DPoP-Nonce</c> header.</summary>
    public const string UseDPoPNonce = "use_dpop_nonce";

    /// <summary>RFC 6749 section 4.1.2.1's error for a server that cannot handle the request for now; with 503 and Retry-After.</summary>
    public const string TemporarilyUnavailable = "temporarily_unavailable";
}
