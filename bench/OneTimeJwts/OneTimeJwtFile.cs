using System.Text;

namespace AspireJwks.Bench.OneTimeJwts;

/// <summary>
/// Writes <c>count</c> JWTs of one kind, one per line, each with a fresh random jti and the time
/// it was signed. Signing is spread over the cores (it runs between two loads, so waiting for
/// it only lengthens the run), in batches written in order, so memory stays bounded.
/// </summary>
internal static class OneTimeJwtFile
{
    private const int ChunkSize = 1024;

    public static void Write(IOneTimeJwt kind, string pem, int count, Stream output, TimeProvider time)
    {
        string encodedHeader;
        using (var key = new Es256Key(pem))
        {
            encodedHeader = OneTimeJwtSigner.EncodedHeader(kind, key);
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
        for (var line = 0; line < lines; line++)
        {
            text.Append(OneTimeJwtSigner.Sign(kind, key, encodedHeader, time)).Append('\n');
        }
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
