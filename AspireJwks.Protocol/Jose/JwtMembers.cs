using System.Text.Json;

namespace AspireJwks.Protocol.Jose;

/// <summary>How every JWT kind here reads a header member or claim: the same strict rules for strings and dates.</summary>
internal static class JwtMembers
{
    // NumericDate values after 9999-12-31 are absurd and overflow DateTime in the libraries.
    private const long MaxNumericDate = 253_402_300_799;

    /// <summary>A non-empty string member, or null when it is absent, empty or of another type.</summary>
    public static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } value
            ? value
            : null;

    /// <summary>
    /// RFC 7519 allows fractions; this system never writes them, and libraries disagree on how to
    /// round them, so only integer JSON numbers in a sane range count as dates. Absent is not an error here.
    /// </summary>
    public static bool TryReadDate(JsonElement root, string name, out DateTimeOffset? date)
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

    /// <summary>The <c>aud</c> claim as a list: a string or a non-empty array of strings; null for anything else.</summary>
    public static List<string>? Audiences(JsonElement root)
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
}
