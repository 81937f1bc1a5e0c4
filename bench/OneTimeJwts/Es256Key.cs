using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AspireJwks.Bench.OneTimeJwts;

/// <summary>
/// An EC P-256 private key read from PKCS#8 PEM (what openssl genpkey writes), its public JWK
/// members and RFC 7638 thumbprint, and ES256 compact JWS signing (RFC 7515, RFC 7518 3.4).
/// Not safe for concurrent signing: each worker reads its own.
/// </summary>
internal sealed class Es256Key : IDisposable
{
    private readonly ECDsa _key;

    public Es256Key(string pem)
    {
        _key = ECDsa.Create();
        _key.ImportFromPem(pem);
        var parameters = _key.ExportParameters(false);
        if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("The key is not on P-256.", nameof(pem));
        }
        X = Base64Url.EncodeToString(parameters.Q.X);
        Y = Base64Url.EncodeToString(parameters.Q.Y);
    }

    public string X { get; }

    public string Y { get; }

    /// <summary>The public JWK as a proof's header carries it: the required members only.</summary>
    public void WritePublicJwk(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("kty", "EC");
        json.WriteString("crv", "P-256");
        json.WriteString("x", X);
        json.WriteString("y", Y);
        json.WriteEndObject();
    }

    /// <summary>RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.</summary>
    public string Thumbprint() =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"P-256","kty":"EC","x":"{{X}}","y":"{{Y}}"}""")));

    /// <summary>header.payload.signature, from the header already base64url-encoded and the payload's JSON.</summary>
    public string SignCompact(string encodedHeader, ReadOnlySpan<byte> payloadJson)
    {
        var signingInput = $"{encodedHeader}.{Base64Url.EncodeToString(payloadJson)}";
        // SignData's default format is IEEE P1363 (r || s, 64 bytes), the one JWS uses.
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    public void Dispose() => _key.Dispose();
}
