using System.Text;

namespace AspireJwks.Protocol.Jwks;

/// <summary>
/// The public keys a client registers for <c>private_key_jwt</c> (RFC 7523), as a JWK Set. Read
/// with the same checks as the issuer's own JWKS, and stricter: an API may skip a key it cannot
/// use, but a registration with any unusable key (private members, a symmetric key, RSA under
/// 2048 bits, no kid or alg) is refused whole, because the operator meant something else.
/// Checked where the registration is made (the AppHost, naming the parameter) and where it is used (Auth).
/// </summary>
internal static class ClientJwks
{
    public static (JwksKeySet? Keys, string? Problem) Read(string json)
    {
        var result = JwksDocumentReader.Read(Encoding.UTF8.GetBytes(json), JwksKeySet.Empty);
        if (result.Keys is null)
        {
            return (null, result.Refusal);
        }
        return result.SkippedKeys.Count > 0
            ? (null, $"Refused the JWKS: {string.Join("; ", result.SkippedKeys)}")
            : (result.Keys, null);
    }
}
