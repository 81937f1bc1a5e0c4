namespace AspireJwks.Auth.Tokens;

/// <summary>
/// A token request's parameters as sent (RFC 6749 section 4.4.2, RFC 8707 <c>resource</c>), each
/// null when absent. Other parameters (<c>alg</c>, <c>aud</c>, <c>sub</c>, ...) are never read: the
/// token always has the server's algorithm, key, lifetime and claims.
/// </summary>
public sealed record TokenRequest(string? GrantType, string? Scope, string? Resource, PresentedCredentials Credentials);
