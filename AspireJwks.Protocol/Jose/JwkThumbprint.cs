using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace AspireJwks.Protocol.Jose;

/// <summary>
/// RFC 7638 JWK thumbprints: SHA-256 over the key's required members in lexicographic order,
/// without whitespace, base64url. Computed here from the very members the key was read from
/// (rather than by IdentityModel's JsonWebKey, a second parser of the same JSON), so the
/// thumbprint a token is bound to and the key a proof is checked with cannot be two readings.
/// </summary>
internal static class JwkThumbprint
{
    /// <summary>The thumbprint of an EC or RSA public JWK whose members have been checked; null for another key type.</summary>
    public static string? Of(JsonElement jwk)
    {
        var kty = JwtMembers.Text(jwk, "kty");
        string[]? members = kty switch
        {
            "EC" => ["crv", "kty", "x", "y"],
            "RSA" => ["e", "kty", "n"],
            _ => null,
        };
        if (members is null)
        {
            return null;
        }
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var member in members)
            {
                if (JwtMembers.Text(jwk, member) is not { } value)
                {
                    return null;
                }
                json.WriteString(member, value);
            }
            json.WriteEndObject();
        }
        return Base64Url.EncodeToString(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }
}
