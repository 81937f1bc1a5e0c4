using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AspireJwks.Bench.OneTimeJwts;

/// <summary>
/// Writes <c>count</c> JWTs of one kind, one per line, each with a fresh random jti and the time
/// it was signed. Signing is spread over the cores (it runs between two loads, so waiting for
/// it only lengthens the run), in batches written in order, so memory stays bounded.
/// </summary>
internal static class OneTimeJwtFile
{
    private const int ChunkSize = 1024;

    // Written as a client library writes them: "dpop+jwt", not "dpop\u002Bjwt" (the default
    // encoder escapes for HTML, which a JWT never lands in).
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(IOneTimeJwt kind, string pem, int count, Stream output, TimeProvider time)
    {
        string encodedHeader;
        using (var key = new Es256Key(pem))
        {
            encodedHeader = Base64Url.EncodeToString(Json(json => kind.WriteHeader(json, key)));
        }
        var chunks = (count + ChunkSize - 1) / ChunkSize;
        var batch = Environment.ProcessorCount * 4;
        var written = new byte[batch][];
        for (var first = 0; first < chunks; first += batch)
        {
            var inBatch = Math.Min(batch, chunks - first);
            Parallel.For(0, inBatch, () => new Es256Key(pem), (index, _, key) =>
            {
                var chunk = first + index;
                var lines = Math.Min(ChunkSize, count - (chunk * ChunkSize));
                written[index] = Chunk(kind, key, encodedHeader, lines, time);
                return key;
            }, key => key.Dispose());
            for (var index = 0; index < inBatch; index++)
            {
                output.Write(written[index]);
            }
        }
        output.Flush();
    }

    private static byte[] Chunk(IOneTimeJwt kind, Es256Key key, string encodedHeader, int lines, TimeProvider time)
    {
        var text = new StringBuilder(lines * 640);
        Span<byte> jti = stackalloc byte[16];
        for (var line = 0; line < lines; line++)
        {
            // 128 random bits: no two JWTs of a run, or of two runs, share a jti.
            RandomNumberGenerator.Fill(jti);
            var id = Base64Url.EncodeToString(jti);
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            text.Append(key.SignCompact(encodedHeader, Json(json => kind.WriteClaims(json, id, now)))).Append('\n');
        }
        return Encoding.ASCII.GetBytes(text.ToString());
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
