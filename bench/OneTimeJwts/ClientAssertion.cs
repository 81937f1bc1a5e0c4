using System.Text.Json;

namespace AspireJwks.Bench.OneTimeJwts;

/// <summary>
/// A <c>private_key_jwt</c> client assertion (RFC 7523 section 3): <c>iss</c> = <c>sub</c> = the
/// client id, <c>aud</c> = the issuer exactly as its discovery document says, the key's RFC 7638
/// thumbprint as <c>kid</c> (the kid Auth registers the client's public key under).
/// </summary>
internal sealed class ClientAssertion(string clientId, string audience) : IOneTimeJwt
{
    // Auth accepts an exp at most five minutes ahead; the longest it allows keeps a file usable
    // for a whole run, however long it has to wait for its turn.
    private const long LifetimeSeconds = 5 * 60;

    public void WriteHeader(Utf8JsonWriter json, Es256Key key)
    {
        json.WriteStartObject();
        json.WriteString("alg", "ES256");
        json.WriteString("kid", key.Thumbprint());
        json.WriteEndObject();
    }

    public void WriteClaims(Utf8JsonWriter json, string jti, long now)
    {
        json.WriteStartObject();
        json.WriteString("iss", clientId);
        json.WriteString("sub", clientId);
        json.WriteString("aud", audience);
        json.WriteString("jti", jti);
        json.WriteNumber("iat", now);
        json.WriteNumber("exp", now + LifetimeSeconds);
        json.WriteEndObject();
    }
}
