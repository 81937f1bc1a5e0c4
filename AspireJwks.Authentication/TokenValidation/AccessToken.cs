using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Authentication.TokenValidation;

/// <summary>The JOSE header of an access token: the only three members it may have.</summary>
internal sealed record AccessTokenHeader(string Algorithm, string Kid, string Type);

/// <summary>The claims of an access token (RFC 9068 section 2.2), typed, and all of them as the principal will carry them.</summary>
/// <param name="Scope">The space-separated <c>scope</c> claim; null when the token has none.</param>
/// <param name="BoundTo">The <c>cnf.jkt</c> of a DPoP-bound token (RFC 9449 section 6.1): the thumbprint of the only key whose proofs may present it; null for a Bearer token.</param>
internal sealed record AccessTokenClaims(
    string Issuer,
    string Subject,
    string ClientId,
    string Jti,
    string? Scope,
    IReadOnlyList<string> Audiences,
    DateTimeOffset IssuedAt,
    DateTimeOffset? NotBefore,
    DateTimeOffset ExpiresAt,
    string? BoundTo,
    IReadOnlyList<Claim> All);

/// <summary>
/// An access token as <see cref="AccessTokenReader"/> read it: the header and claims that
/// validation checks, and the bytes its signature covers. One read serves the form checks, the
/// validation and the telemetry, so what is checked is exactly what is validated (RFC 8725
/// section 2.6: two parsers must never read different claims from the same token).
/// </summary>
/// <param name="signingInput">The ASCII bytes of <c>header.payload</c>, which the signature covers (RFC 7515 section 5.2).</param>
internal sealed class AccessToken(AccessTokenHeader header, AccessTokenClaims claims, byte[] signingInput, byte[] signature, TokenFacts facts) : SecurityToken
{
    public AccessTokenHeader Header => header;

    public AccessTokenClaims Claims => claims;

    public byte[] SigningInput => signingInput;

    public byte[] Signature => signature;

    /// <summary>The facts the reader made from the same header members and claims, for spans and refusals.</summary>
    public TokenFacts Facts => facts;

    public override string Id => claims.Jti;

    public override string Issuer => claims.Issuer;

    public override SecurityKey? SecurityKey => null;

    /// <summary>The published key whose signature check this token passed; set by validation.</summary>
    public override SecurityKey? SigningKey { get; set; }

    public override DateTime ValidFrom => (claims.NotBefore ?? claims.IssuedAt).UtcDateTime;

    public override DateTime ValidTo => claims.ExpiresAt.UtcDateTime;

    // Never the token itself: this ends up in log lines.
    public override string UnsafeToString() => $"access token {Facts.Jti} (kid {Facts.Kid})";

    public override string ToString() => UnsafeToString();
}
