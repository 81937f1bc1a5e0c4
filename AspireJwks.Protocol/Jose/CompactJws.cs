using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace AspireJwks.Protocol.Jose;

/// <summary>
/// The one strict reader of compact JWS (RFC 7515 section 7.1) for every kind of JWT this system
/// reads: access tokens, DPoP proofs and client assertions. It replaces IdentityModel's reader,
/// which decodes base64url with padding and non-canonical trailing bits, and keeps the last of
/// duplicate JSON members (RFC 8725 sections 2.1 to 2.8, 3.11). What differs per kind (which
/// header members are allowed, which claims are required) is each caller's rule, applied to what
/// this reads; the reading itself is here once, so the kinds cannot drift apart.
/// </summary>
internal sealed class CompactJws : IDisposable
{
    private static readonly JsonDocumentOptions StrictJson = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        // A DPoP proof's header holds its jwk, an access token's payload its cnf: two levels at most.
        MaxDepth = 4,
    };

    /// <summary>The base64url alphabet (RFC 4648 section 5), without padding.</summary>
    public static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly string _text;
    private readonly int _signingInputLength;
    private readonly JsonDocument _header;
    private readonly JsonDocument? _payload;

    private CompactJws(string text, int signingInputLength, JsonDocument header, JsonDocument? payload, string? bodyError)
    {
        _text = text;
        _signingInputLength = signingInputLength;
        _header = header;
        _payload = payload;
        BodyError = bodyError;
    }

    /// <summary>The JOSE header, a strict JSON object.</summary>
    public JsonElement Header => _header.RootElement;

    /// <summary>The payload as a strict JSON object when it could be read (even if the signature segment is bad), for the facts a refusal names.</summary>
    public JsonElement? Payload => _payload?.RootElement;

    /// <summary>Why the payload or signature segment is unusable, or null: checked after the header's rules, so a bad algorithm is named as such.</summary>
    public string? BodyError { get; }

    /// <summary>The ASCII bytes of <c>header.payload</c>, which the signature covers (RFC 7515 section 5.2).</summary>
    public byte[] SigningInput() => Encoding.ASCII.GetBytes(_text, 0, _signingInputLength);

    public byte[] Signature() => Base64Url.DecodeFromChars(_text.AsSpan(_signingInputLength + 1));

    /// <summary>
    /// Splits and decodes <paramref name="text"/>: exactly three segments, a canonical header that
    /// is a strict JSON object. The payload and signature are checked too, their problem kept in
    /// <see cref="BodyError"/>. <paramref name="kind"/> names the JWT in messages ("token", "proof").
    /// </summary>
    public static (CompactJws? Jws, string? Error) Parse(string text, int maxLength, string kind)
    {
        if (text.Length == 0 || text.Length > maxLength)
        {
            return (null, $"{kind} is empty or longer than the limit");
        }
        var firstDot = text.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : text.IndexOf('.', firstDot + 1);
        if (secondDot < 0 || text.IndexOf('.', secondDot + 1) >= 0)
        {
            // 1 or 2 segments: not a JWS; 5: a JWE; JWS JSON serialization has no dots at all.
            return (null, $"{kind} has {text.Count(c => c == '.') + 1} segments, a compact JWS has 3");
        }
        var encodedHeader = text.AsSpan(0, firstDot);
        var encodedPayload = text.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        var encodedSignature = text.AsSpan(secondDot + 1);
        if (!IsCanonicalBase64Url(encodedHeader))
        {
            return (null, "segment 0 is not canonical unpadded base64url");
        }
        var header = ParseObject(encodedHeader, out var headerError);
        if (header is null)
        {
            return (null, $"header {headerError}");
        }

        var payloadIsCanonical = IsCanonicalBase64Url(encodedPayload);
        var payloadError = "";
        var payload = payloadIsCanonical ? ParseObject(encodedPayload, out payloadError) : null;
        var bodyError =
            !payloadIsCanonical ? "segment 1 is not canonical unpadded base64url"
            : !IsCanonicalBase64Url(encodedSignature) ? "segment 2 is not canonical unpadded base64url"
            : payload is null ? $"payload {payloadError}"
            : null;
        return (new CompactJws(text, secondDot, header, payload, bodyError), null);
    }

    /// <summary>The first header member not in <paramref name="allowed"/>, printable for a log line, or null when there is none.</summary>
    public string? UnexpectedHeaderMember(IReadOnlySet<string> allowed)
    {
        foreach (var member in Header.EnumerateObject())
        {
            if (!allowed.Contains(member.Name))
            {
                // Header member names come from the attacker: keep log text short and plain.
                return member.Name.Length <= 16 && member.Name.All(char.IsAsciiLetterOrDigit) ? member.Name : "(unprintable)";
            }
        }
        return null;
    }

    /// <summary>
    /// RFC 7515 section 2 and RFC 8725 section 3.11: the URL-safe alphabet, no padding, no
    /// whitespace, and no stray bits after the last byte, so one JWS has exactly one spelling.
    /// Hand-written because Base64UrlEncoder and System.Buffers.Text.Base64Url both accept
    /// padding, and neither rejects non-zero trailing bits.
    /// </summary>
    public static bool IsCanonicalBase64Url(ReadOnlySpan<char> segment)
    {
        // A vectorised scan: every token, proof and assertion passes here, a kilobyte or so each.
        if (segment.Length == 0 || segment.Length % 4 == 1 || segment.ContainsAnyExcept(Base64UrlAlphabet))
        {
            return false;
        }
        var c = segment[^1];
        var last = c switch
        {
            >= 'A' and <= 'Z' => c - 'A',
            >= 'a' and <= 'z' => c - 'a' + 26,
            >= '0' and <= '9' => c - '0' + 52,
            '-' => 62,
            _ => 63,
        };
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

    public void Dispose()
    {
        _header.Dispose();
        _payload?.Dispose();
    }
}
