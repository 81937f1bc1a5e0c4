using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AspireJwks.Bench.OneTimeJwts;

/// <summary>
/// A DPoP proof (RFC 9449 section 4.2) for one method and URL: the public key in the header, and
/// for a resource request <c>ath</c>, the hash of the access token it presents. The server takes
/// each proof once, and only within a minute of its <c>iat</c>.
/// </summary>
internal sealed class DPoPProof(string method, Uri url, string? accessToken) : IOneTimeJwt
{
    // The server compares htu without query and fragment (RFC 9449 section 4.3).
    private readonly string _htu = url.GetLeftPart(UriPartial.Path);
    private readonly string? _ath = accessToken is null ? null : Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    public void WriteHeader(Utf8JsonWriter json, Es256Key key)
    {
        json.WriteStartObject();
        json.WriteString("typ", "dpop+jwt");
        json.WriteString("alg", "ES256");
        json.WritePropertyName("jwk");
        key.WritePublicJwk(json);
        json.WriteEndObject();
    }

    public void WriteClaims(Utf8JsonWriter json, string jti, long now)
    {
        json.WriteStartObject();
        json.WriteString("jti", jti);
        json.WriteString("htm", method);
        json.WriteString("htu", _htu);
        json.WriteNumber("iat", now);
        if (_ath is not null)
        {
            json.WriteString("ath", _ath);
        }
        json.WriteEndObject();
    }
}
