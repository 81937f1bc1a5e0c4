using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Api.Authentication;

/// <summary>
/// Checks a token's form before JwtBearer sees it, closing what Microsoft.IdentityModel accepts
/// leniently (RFC 8725 sections 2.1 to 2.8, 3.1, 3.11): it decodes base64url with padding and
/// non-canonical trailing bits, reads numeric strings and floats as dates, ignores <c>crit</c> and
/// <c>b64</c>, and keeps the last of duplicate JSON members. The rule here is the narrow shape
/// Auth issues (RFC 9068); anything else is refused, with a reason meant for logs, never the token.
/// </summary>
public sealed partial class StrictTokenChecks(IOptions<TokenValidationOptions> options, TimeProvider timeProvider)
{
    // An access token from Auth is about 1 KB. The limit stays well below Kestrel's 32 KB header
    // limit, so an oversized token is answered 401 here instead of 431 by the server.
    public const int MaxTokenLength = 4096;

    // NumericDate values after 9999-12-31 are absurd and overflow DateTime in the libraries.
    private const long MaxNumericDate = 253_402_300_799;

    // Auth writes exactly these; any other member (crit, b64, jwk, jku, x5u, x5c, cty, zip, enc...)
    // asks the validator for behaviour it does not have, so the token is refused, never "ignored".
    private static readonly HashSet<string> AllowedHeaderMembers = new(StringComparer.Ordinal) { "alg", "kid", "typ" };

    // RFC 9068 section 2.2: the claims every access token carries.
    private static readonly string[] RequiredStringClaims = ["iss", "sub", "client_id", "jti"];
    private static readonly string[] NumericDateClaims = ["exp", "iat", "nbf"];

    private static readonly JsonDocumentOptions StrictJson = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 4,
    };

    /// <summary>
    /// Why the token is refused, or null when its form is acceptable. The exception's type names
    /// the kind of failure the way IdentityModel would, so telemetry reports one reason for it.
    /// </summary>
    public Exception? FindViolation(string token)
    {
        if (token.Length is 0 or > MaxTokenLength)
        {
            return Malformed("token is empty or longer than the limit");
        }
        var segments = token.Split('.');
        if (segments.Length != 3)
        {
            // 1 or 2 segments: not a JWS; 5: a JWE; JWS JSON serialization has no dots at all.
            return Malformed($"token has {segments.Length} segments, a compact JWS has 3");
        }
        // The header first: an unsigned "alg: none" token is refused for its algorithm, not for
        // the empty signature segment that comes with it.
        if (!IsCanonicalBase64Url(segments[0]))
        {
            return Malformed("segment 0 is not canonical unpadded base64url");
        }
        if (CheckHeader(segments[0]) is { } headerViolation)
        {
            return headerViolation;
        }
        if (Array.FindIndex(segments, segment => !IsCanonicalBase64Url(segment)) is var bad and >= 0)
        {
            return Malformed($"segment {bad} is not canonical unpadded base64url");
        }
        return CheckPayload(segments[1]);
    }

    private static Exception? CheckHeader(string segment)
    {
        using var header = ParseObject(segment, out var error);
        if (header is null)
        {
            return Malformed($"header {error}");
        }
        foreach (var member in header.RootElement.EnumerateObject())
        {
            if (!AllowedHeaderMembers.Contains(member.Name))
            {
                return Malformed($"header member '{Printable(member.Name)}' is not accepted");
            }
        }
        var root = header.RootElement;
        if (!TryGetString(root, "alg", out var alg) || !ConfigureJwtBearer.AllowedAlgorithms.Contains(alg))
        {
            return new SecurityTokenInvalidAlgorithmException("header alg is missing or not an allowed asymmetric algorithm");
        }
        if (!TryGetString(root, "kid", out var kid) || !KidPattern().IsMatch(kid))
        {
            // Checked before any key lookup: a kid with path, SQL or shell text never reaches a
            // cache, a log line or a JWKS refresh.
            return Malformed("header kid is missing or not a base64url key id");
        }
        return TryGetString(root, "typ", out _) ? null : new SecurityTokenInvalidTypeException("header typ is missing");
    }

    private Exception? CheckPayload(string segment)
    {
        using var payload = ParseObject(segment, out var error);
        if (payload is null)
        {
            return Malformed($"payload {error}");
        }
        var root = payload.RootElement;
        foreach (var claim in RequiredStringClaims)
        {
            if (!TryGetString(root, claim, out _))
            {
                return Malformed($"claim {claim} is missing or not a string");
            }
        }
        if (!root.TryGetProperty("aud", out var aud)
            || !(aud.ValueKind == JsonValueKind.String
                 || (aud.ValueKind == JsonValueKind.Array && aud.GetArrayLength() > 0
                     && aud.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String))))
        {
            return Malformed("claim aud is missing or not a string or array of strings");
        }
        if (root.TryGetProperty("scope", out var scope) && scope.ValueKind != JsonValueKind.String)
        {
            return Malformed("claim scope is not a string");
        }

        var dates = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var claim in NumericDateClaims)
        {
            if (!root.TryGetProperty(claim, out var value))
            {
                continue;
            }
            // RFC 7519 allows fractions; Auth never writes them, and libraries disagree on how to
            // round them, so only integer JSON numbers in a sane range count as dates.
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds)
                || seconds is <= 0 or > MaxNumericDate)
            {
                return Malformed($"claim {claim} is not an integer NumericDate");
            }
            dates[claim] = seconds;
        }
        if (!dates.TryGetValue("exp", out var exp))
        {
            return new SecurityTokenNoExpirationException("claim exp is missing");
        }
        if (!dates.TryGetValue("iat", out var iat))
        {
            return Malformed("claim iat is missing");
        }
        var latestIssue = timeProvider.GetUtcNow().Add(options.Value.ClockSkew).ToUnixTimeSeconds();
        if (iat > latestIssue || iat > exp || (dates.TryGetValue("nbf", out var nbf) && nbf > exp))
        {
            // exp and nbf against the clock are JwtBearer's checks; these catch dates that
            // contradict each other or a token issued in the future.
            return Malformed("claims iat, nbf and exp are inconsistent");
        }
        return null;
    }

    /// <summary>
    /// RFC 7515 section 2 and RFC 8725 section 3.11: the URL-safe alphabet, no padding, no
    /// whitespace, and no stray bits after the last byte, so one token has exactly one spelling.
    /// Hand-written because Base64UrlEncoder and System.Buffers.Text.Base64Url both accept
    /// padding, and neither rejects non-zero trailing bits.
    /// </summary>
    private static SecurityTokenMalformedException Malformed(string violation) => new(violation);

    internal static bool IsCanonicalBase64Url(string segment)
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

    private static JsonDocument? ParseObject(string segment, out string error)
    {
        var bytes = Base64UrlEncoder.DecodeBytes(segment);
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

    private static bool TryGetString(JsonElement root, string name, out string value)
    {
        value = root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String
            ? element.GetString() ?? ""
            : "";
        return value.Length > 0;
    }

    // Header member names come from the attacker: keep log text short and plain.
    private static string Printable(string name) =>
        name.Length <= 16 && name.All(char.IsAsciiLetterOrDigit) ? name : "(unprintable)";

    // RFC 7638 thumbprints are 43 characters; a little room for other base64url key ids.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,86}$")]
    private static partial Regex KidPattern();
}
