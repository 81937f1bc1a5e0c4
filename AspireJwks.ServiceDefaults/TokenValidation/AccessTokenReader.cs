using System.Buffers.Text;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Options;
using R = AspireJwks.ServiceDefaults.TokenValidation.TokenRejectionReasons;

namespace AspireJwks.ServiceDefaults.TokenValidation;

/// <summary>
/// Reads a compact JWS access token strictly, in one pass, into an <see cref="AccessToken"/>. It
/// replaces IdentityModel's reader, which decodes base64url with padding and non-canonical trailing
/// bits, reads numeric strings and floats as dates, ignores <c>crit</c> and <c>b64</c>, and keeps
/// the last of duplicate JSON members (RFC 8725 sections 2.1 to 2.8, 3.1, 3.11). The shape accepted
/// is the narrow one Auth issues (RFC 9068); anything else is refused with a reason and a message
/// meant for logs, never quoting the token.
/// </summary>
public sealed class AccessTokenReader(IOptions<TokenValidationOptions> options, TimeProvider timeProvider)
{
    // An access token from Auth is about 1 KB. The limit stays well below Kestrel's 32 KB header
    // limit, so an oversized token is answered 401 here instead of 431 by the server.
    public const int MaxTokenLength = 4096;

    // NumericDate values after 9999-12-31 are absurd and overflow DateTime in the libraries.
    private const long MaxNumericDate = 253_402_300_799;

    // Auth writes exactly these; any other member (crit, b64, jwk, jku, x5u, x5c, cty, zip, enc...)
    // asks the validator for behaviour it does not have, so the token is refused, never "ignored".
    private static readonly HashSet<string> AllowedHeaderMembers = new(StringComparer.Ordinal) { "alg", "kid", "typ" };

    private static readonly JsonDocumentOptions StrictJson = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 4,
    };

    private readonly TimeSpan _clockSkew = options.Value.ClockSkew!.Value;

    /// <summary>The token, or why it is refused (with whatever facts could be read before that).</summary>
    public (AccessToken? Token, TokenRejectedException? Rejection) Read(string token)
    {
        if (token.Length is 0 or > MaxTokenLength)
        {
            return Refuse(R.Malformed, "token is empty or longer than the limit", TokenFacts.None);
        }
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (secondDot < 0 || token.IndexOf('.', secondDot + 1) >= 0)
        {
            // 1 or 2 segments: not a JWS; 5: a JWE; JWS JSON serialization has no dots at all.
            return Refuse(R.Malformed, $"token has {token.Count(c => c == '.') + 1} segments, a compact JWS has 3", TokenFacts.None);
        }
        var encodedHeader = token.AsSpan(0, firstDot);
        var encodedPayload = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        var encodedSignature = token.AsSpan(secondDot + 1);

        // Both JSON segments are read first, so that a refusal can name what the token claims
        // (its kid, jti and client) whichever rule refuses it; then the rules run in order.
        if (!IsCanonicalBase64Url(encodedHeader))
        {
            return Refuse(R.Malformed, "segment 0 is not canonical unpadded base64url", TokenFacts.None);
        }
        using var headerDocument = ParseObject(encodedHeader, out var headerError);
        if (headerDocument is null)
        {
            return Refuse(R.Malformed, $"header {headerError}", TokenFacts.None);
        }
        var headerRoot = headerDocument.RootElement;
        var payloadIsCanonical = IsCanonicalBase64Url(encodedPayload);
        var payloadError = "";
        using var payloadDocument = payloadIsCanonical ? ParseObject(encodedPayload, out payloadError) : null;
        var facts = TokenFacts.Claimed(
            StringMember(headerRoot, "kid"), StringMember(headerRoot, "alg"),
            payloadDocument is null ? null : StringMember(payloadDocument.RootElement, "jti"),
            payloadDocument is null ? null : StringMember(payloadDocument.RootElement, AccessTokenProtocol.Claims.ClientId));

        // The header's rules first: an unsigned "alg: none" token is refused for its algorithm,
        // not for the empty signature segment that comes with it.
        var (header, headerRejection) = ReadHeader(headerRoot, facts);
        if (header is null)
        {
            return (null, headerRejection);
        }
        if (!payloadIsCanonical)
        {
            return Refuse(R.Malformed, "segment 1 is not canonical unpadded base64url", facts);
        }
        if (!IsCanonicalBase64Url(encodedSignature))
        {
            return Refuse(R.Malformed, "segment 2 is not canonical unpadded base64url", facts);
        }
        if (payloadDocument is null)
        {
            return Refuse(R.Malformed, $"payload {payloadError}", facts);
        }
        var (claims, claimsRejection) = ReadClaims(payloadDocument.RootElement, facts);
        if (claims is null)
        {
            return (null, claimsRejection);
        }
        var signingInput = Encoding.ASCII.GetBytes(token, 0, secondDot);
        var signature = Base64Url.DecodeFromChars(encodedSignature);
        return (new AccessToken(header, claims, signingInput, signature), null);
    }

    private static (AccessTokenHeader?, TokenRejectedException?) ReadHeader(JsonElement root, TokenFacts facts)
    {
        foreach (var member in root.EnumerateObject())
        {
            if (!AllowedHeaderMembers.Contains(member.Name))
            {
                return (null, Rejection(R.Malformed, $"header member '{Printable(member.Name)}' is not accepted", facts));
            }
        }
        var alg = StringMember(root, "alg");
        if (alg is null || !AccessTokenProtocol.SigningAlgorithms.Contains(alg))
        {
            return (null, Rejection(R.AlgNotAllowed, "header alg is missing or not an allowed asymmetric algorithm", facts));
        }
        var kid = StringMember(root, "kid");
        if (!AccessTokenProtocol.IsKid(kid))
        {
            // Checked before any key lookup: a kid with path, SQL or shell text never reaches a
            // cache, a log line or a JWKS refresh.
            return (null, Rejection(R.Malformed, "header kid is missing or not a base64url key id", facts));
        }
        return StringMember(root, "typ") is { } typ
            ? (new AccessTokenHeader(alg, kid, typ), null)
            : (null, Rejection(R.WrongType, "header typ is missing", facts));
    }

    private (AccessTokenClaims?, TokenRejectedException?) ReadClaims(JsonElement root, TokenFacts facts)
    {
        var jti = StringMember(root, "jti");
        var clientId = StringMember(root, AccessTokenProtocol.Claims.ClientId);
        var issuer = StringMember(root, "iss");
        var subject = StringMember(root, "sub");
        if (issuer is null || subject is null || clientId is null || jti is null)
        {
            return (null, Rejection(R.Malformed, "claims iss, sub, client_id and jti must be non-empty strings", facts));
        }
        if (ReadAudiences(root) is not { } audiences)
        {
            return (null, Rejection(R.Malformed, "claim aud is missing or not a string or array of strings", facts));
        }
        string? scope = null;
        if (root.TryGetProperty(AccessTokenProtocol.Claims.Scope, out var scopeElement))
        {
            if (scopeElement.ValueKind != JsonValueKind.String)
            {
                return (null, Rejection(R.Malformed, "claim scope is not a string", facts));
            }
            scope = scopeElement.GetString();
        }

        if (!TryReadDate(root, "exp", out var exp) || !TryReadDate(root, "iat", out var iat) || !TryReadDate(root, "nbf", out var nbf))
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
        return (new AccessTokenClaims(issuer, subject, clientId, jti, scope, audiences, iat.Value, nbf, exp.Value, AllClaims(root, issuer)), null);
    }

    private static List<string>? ReadAudiences(JsonElement root)
    {
        if (!root.TryGetProperty("aud", out var aud))
        {
            return null;
        }
        if (aud.ValueKind == JsonValueKind.String)
        {
            return [aud.GetString()!];
        }
        if (aud.ValueKind != JsonValueKind.Array || aud.GetArrayLength() == 0)
        {
            return null;
        }
        var audiences = new List<string>(aud.GetArrayLength());
        foreach (var item in aud.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            audiences.Add(item.GetString()!);
        }
        return audiences;
    }

    /// <summary>
    /// RFC 7519 allows fractions; Auth never writes them, and libraries disagree on how to round
    /// them, so only integer JSON numbers in a sane range count as dates. Absent is not an error here.
    /// </summary>
    private static bool TryReadDate(JsonElement root, string name, out DateTimeOffset? date)
    {
        date = null;
        if (!root.TryGetProperty(name, out var value))
        {
            return true;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds) || seconds is <= 0 or > MaxNumericDate)
        {
            return false;
        }
        date = DateTimeOffset.FromUnixTimeSeconds(seconds);
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

    /// <summary>
    /// RFC 7515 section 2 and RFC 8725 section 3.11: the URL-safe alphabet, no padding, no
    /// whitespace, and no stray bits after the last byte, so one token has exactly one spelling.
    /// Hand-written because Base64UrlEncoder and System.Buffers.Text.Base64Url both accept
    /// padding, and neither rejects non-zero trailing bits.
    /// </summary>
    public static bool IsCanonicalBase64Url(ReadOnlySpan<char> segment)
    {
        if (segment.Length == 0 || segment.Length % 4 == 1)
        {
            return false;
        }
        var last = 0;
        foreach (var c in segment)
        {
            last = c switch
            {
                >= 'A' and <= 'Z' => c - 'A',
                >= 'a' and <= 'z' => c - 'a' + 26,
                >= '0' and <= '9' => c - '0' + 52,
                '-' => 62,
                '_' => 63,
                _ => -1,
            };
            if (last < 0)
            {
                return false;
            }
        }
        // 2 chars carry 8 bits (4 spare), 3 chars carry 16 bits (2 spare): spare bits must be 0.
        return (segment.Length % 4) switch
        {
            2 => (last & 0x0F) == 0,
            3 => (last & 0x03) == 0,
            _ => true,
        };
    }

    private static JsonDocument? ParseObject(ReadOnlySpan<char> segment, out string error)
    {
        var bytes = Base64Url.DecodeFromChars(segment);
        // JSON text is UTF-8 without a byte order mark (RFC 8259 section 8.1).
        if (!Utf8.IsValid(bytes) || bytes.AsSpan().StartsWith("\uFEFF"u8))
        {
            error = "is not valid UTF-8";
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, StrictJson);
        }
        catch (JsonException)
        {
            error = "is not a strict JSON object (syntax, duplicate members or nesting)";
            return null;
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            error = "is not a JSON object";
            return null;
        }
        error = "";
        return document;
    }

    /// <summary>A non-empty string member, or null when it is absent, empty or of another type.</summary>
    private static string? StringMember(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } value
            ? value
            : null;

    // Header member names come from the attacker: keep log text short and plain.
    private static string Printable(string name) =>
        name.Length <= 16 && name.All(char.IsAsciiLetterOrDigit) ? name : "(unprintable)";

    private static TokenRejectedException Rejection(string reason, string message, TokenFacts facts) => new(reason, message, facts);

    private static (AccessToken?, TokenRejectedException?) Refuse(string reason, string message, TokenFacts facts) =>
        (null, Rejection(reason, message, facts));
}
