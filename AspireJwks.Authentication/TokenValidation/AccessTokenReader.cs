using System.Security.Claims;
using System.Text.Json;
using AspireJwks.Protocol;
using AspireJwks.Protocol.Jose;
using Microsoft.Extensions.Options;
using R = AspireJwks.Authentication.TokenValidation.TokenRejectionReasons;

namespace AspireJwks.Authentication.TokenValidation;

/// <summary>
/// Reads a compact JWS access token strictly, in one pass, into an <see cref="AccessToken"/>. It
/// replaces IdentityModel's reader, which decodes base64url with padding and non-canonical trailing
/// bits, reads numeric strings and floats as dates, ignores <c>crit</c> and <c>b64</c>, and keeps
/// the last of duplicate JSON members (RFC 8725 sections 2.1 to 2.8, 3.1, 3.11). The shape accepted
/// is the narrow one Auth issues (RFC 9068); anything else is refused with a reason and a message
/// meant for logs, never quoting the token.
/// </summary>
internal sealed class AccessTokenReader(IOptions<TokenValidationOptions> options, TimeProvider timeProvider)
{
    // An access token from Auth is about 1 KB. The limit stays well below Kestrel's 32 KB header
    // limit, so an oversized token is answered 401 here instead of 431 by the server.
    public const int MaxTokenLength = 4096;

    // Auth writes exactly these; any other member (crit, b64, jwk, jku, x5u, x5c, cty, zip, enc...)
    // asks the validator for behaviour it does not have, so the token is refused, never "ignored".
    private static readonly HashSet<string> AllowedHeaderMembers = new(StringComparer.Ordinal) { "alg", "kid", "typ" };

    private readonly TimeSpan _clockSkew = options.Value.ClockSkew!.Value;

    /// <summary>The token, or why it is refused (with whatever facts could be read before that).</summary>
    public (AccessToken? Token, TokenRejectedException? Rejection) Read(string token)
    {
        // Both JSON segments are read first, so that a refusal can name what the token claims
        // (its kid, jti and client) whichever rule refuses it; then the rules run in order.
        var (parsed, error) = CompactJws.Parse(token, MaxTokenLength, "token");
        if (parsed is null)
        {
            return Refuse(R.Malformed, error!, TokenFacts.None);
        }
        using var jws = parsed;
        // Each member is read once: the same strings name the facts of a refusal and are checked.
        var kid = JwtMembers.Text(jws.Header, "kid");
        var alg = JwtMembers.Text(jws.Header, "alg");
        var jti = jws.Payload is { } claimed ? JwtMembers.Text(claimed, "jti") : null;
        var clientId = jws.Payload is { } claimedBy ? JwtMembers.Text(claimedBy, AccessTokenClaimNames.ClientId) : null;
        var facts = TokenFacts.Claimed(kid, alg, jti, clientId);

        // The header's rules first: an unsigned "alg: none" token is refused for its algorithm,
        // not for the empty signature segment that comes with it.
        var (header, headerRejection) = ReadHeader(jws, alg, kid, facts);
        if (header is null)
        {
            return (null, headerRejection);
        }
        if (jws.BodyError is { } bodyError)
        {
            return Refuse(R.Malformed, bodyError, facts);
        }
        var (claims, claimsRejection) = ReadClaims(jws.Payload!.Value, jti, clientId, facts);
        if (claims is null)
        {
            return (null, claimsRejection);
        }
        return (new AccessToken(header, claims, jws.SigningInput(), jws.Signature(), facts), null);
    }

    private static (AccessTokenHeader?, TokenRejectedException?) ReadHeader(CompactJws jws, string? alg, string? kid, TokenFacts facts)
    {
        if (jws.UnexpectedHeaderMember(AllowedHeaderMembers) is { } unexpected)
        {
            return (null, Rejection(R.Malformed, $"header member '{unexpected}' is not accepted", facts));
        }
        if (alg is null || !AccessTokenProtocol.SigningAlgorithms.Contains(alg))
        {
            return (null, Rejection(R.AlgNotAllowed, "header alg is missing or not an allowed asymmetric algorithm", facts));
        }
        if (!AccessTokenProtocol.IsKid(kid))
        {
            // Checked before any key lookup: a kid with path, SQL or shell text never reaches a
            // cache, a log line or a JWKS refresh.
            return (null, Rejection(R.Malformed, "header kid is missing or not a base64url key id", facts));
        }
        return JwtMembers.Text(jws.Header, "typ") is { } typ
            ? (new AccessTokenHeader(alg, kid, typ), null)
            : (null, Rejection(R.WrongType, "header typ is missing", facts));
    }

    private (AccessTokenClaims?, TokenRejectedException?) ReadClaims(JsonElement root, string? jti, string? clientId, TokenFacts facts)
    {
        var issuer = JwtMembers.Text(root, "iss");
        var subject = JwtMembers.Text(root, "sub");
        if (issuer is null || subject is null || clientId is null || jti is null)
        {
            return (null, Rejection(R.Malformed, "claims iss, sub, client_id and jti must be non-empty strings", facts));
        }
        if (JwtMembers.Audiences(root) is not { } audiences)
        {
            return (null, Rejection(R.Malformed, "claim aud is missing or not a string or array of strings", facts));
        }
        string? scope = null;
        if (root.TryGetProperty(AccessTokenClaimNames.Scope, out var scopeElement))
        {
            if (scopeElement.ValueKind != JsonValueKind.String)
            {
                return (null, Rejection(R.Malformed, "claim scope is not a string", facts));
            }
            scope = scopeElement.GetString();
        }
        if (!TryReadConfirmation(root, out var boundTo))
        {
            return (null, Rejection(R.Malformed, "claim cnf is not an object holding only a jkt thumbprint", facts));
        }

        if (!JwtMembers.TryReadDate(root, "exp", out var exp) || !JwtMembers.TryReadDate(root, "iat", out var iat) || !JwtMembers.TryReadDate(root, "nbf", out var nbf))
        {
            return (null, Rejection(R.Malformed, "claims exp, iat and nbf must be integer NumericDates", facts));
        }
        if (exp is null)
        {
            return (null, Rejection(R.MissingExpiry, "claim exp is missing", facts));
        }
        if (iat is null)
        {
            return (null, Rejection(R.Malformed, "claim iat is missing", facts));
        }
        if (iat > timeProvider.GetUtcNow() + _clockSkew || iat > exp || nbf > exp)
        {
            // exp and nbf against the clock are the validator's checks; these catch dates that
            // contradict each other or a token issued in the future.
            return (null, Rejection(R.Malformed, "claims iat, nbf and exp are inconsistent", facts));
        }
        return (new AccessTokenClaims(issuer, subject, clientId, jti, scope, audiences, iat.Value, nbf, exp.Value, boundTo, AllClaims(root, issuer)), null);
    }

    /// <summary>
    /// RFC 9449 section 6.1: a token bound to a DPoP key says so with <c>cnf.jkt</c>, that key's
    /// thumbprint. Any other confirmation method (a certificate's <c>x5t#S256</c>, RFC 8705) asks
    /// for a check this validator does not make, so a token carrying one is refused, never taken as unbound.
    /// </summary>
    private static bool TryReadConfirmation(JsonElement root, out string? thumbprint)
    {
        thumbprint = null;
        if (!root.TryGetProperty(AccessTokenClaimNames.Confirmation, out var cnf))
        {
            return true;
        }
        if (cnf.ValueKind != JsonValueKind.Object || cnf.EnumerateObject().Count() != 1
            || JwtMembers.Text(cnf, AccessTokenClaimNames.JwkThumbprint) is not { } jkt || !AccessTokenProtocol.IsThumbprint(jkt))
        {
            return false;
        }
        thumbprint = jkt;
        return true;
    }

    /// <summary>The payload as claims, the way IdentityModel would hand them to a principal: arrays become one claim per element.</summary>
    private static List<Claim> AllClaims(JsonElement root, string issuer)
    {
        var claims = new List<Claim>();
        foreach (var member in root.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in member.Value.EnumerateArray())
                {
                    AddClaim(claims, member.Name, item, issuer);
                }
            }
            else
            {
                AddClaim(claims, member.Name, member.Value, issuer);
            }
        }
        return claims;
    }

    private static void AddClaim(List<Claim> claims, string name, JsonElement value, string issuer)
    {
        var (text, type) = value.ValueKind switch
        {
            JsonValueKind.String => (value.GetString()!, ClaimValueTypes.String),
            JsonValueKind.Number => (value.GetRawText(), value.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double),
            JsonValueKind.True or JsonValueKind.False => (value.GetRawText(), ClaimValueTypes.Boolean),
            JsonValueKind.Object or JsonValueKind.Array => (value.GetRawText(), "JSON"),
            _ => ((string?)null, ""),
        };
        if (text is not null)
        {
            claims.Add(new Claim(name, text, type, issuer, issuer));
        }
    }

    private static TokenRejectedException Rejection(string reason, string message, TokenFacts facts) => new(reason, message, facts);

    private static (AccessToken?, TokenRejectedException?) Refuse(string reason, string message, TokenFacts facts) =>
        (null, Rejection(reason, message, facts));
}
