using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AspireJwks.Bench.OneTimeJwts;

/// <summary>
/// Signs one JWT of a kind: its header encoded once per key, then each JWT with a fresh random
/// <c>jti</c> and the time it was signed. Shared by the files bench/run sends and bench/soak's load.
/// </summary>
internal static class OneTimeJwtSigner
{
    // Written as a client library writes them: "dpop+jwt", not "dpop\u002Bjwt" (the default
    // encoder escapes for HTML, which a JWT never lands in).
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The header's base64url: the same for every JWT of a kind and key.</summary>
    public static string EncodedHeader(IOneTimeJwt kind, Es256Key key) =>
        Base64Url.EncodeToString(Json(json => kind.WriteHeader(json, key)));

    /// <summary>One compact JWS with its own <c>jti</c> (128 random bits: no two JWTs of a run, or of two runs, share one).</summary>
    public static string Sign(IOneTimeJwt kind, Es256Key key, string encodedHeader, TimeProvider time)
    {
        Span<byte> jti = stackalloc byte[16];
        RandomNumberGenerator.Fill(jti);
        var id = Base64Url.EncodeToString(jti);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return key.SignCompact(encodedHeader, Json(json => kind.WriteClaims(json, id, now)));
    }

    private static ReadOnlySpan<byte> Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            write(json);
        }
        return buffer.WrittenSpan;
    }
}
