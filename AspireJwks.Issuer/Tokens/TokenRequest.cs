namespace AspireJwks.Issuer.Tokens;

/// <summary>
/// A token request's parameters as sent (RFC 6749 section 4.4.2, RFC 8707 <c>resource</c>), each
/// null when absent. Other parameters (<c>alg</c>, <c>aud</c>, <c>sub</c>, ...) are never read: the
/// token always has the server's algorithm, key, lifetime and claims.
/// </summary>
/// <param name="DPoPProof">The request's one <c>DPoP</c> header (RFC 9449 section 5), or null: the token is then a Bearer token.</param>
/// <param name="TokenEndpoint">This request's URL as the client addressed it, which a DPoP proof's <c>htu</c> must name.</param>
internal sealed record TokenRequest(
    string? GrantType, string? Scope, string? Resource, PresentedCredentials Credentials, string? DPoPProof = null, Uri? TokenEndpoint = null);
