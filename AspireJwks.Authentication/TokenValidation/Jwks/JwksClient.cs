using System.Net;
using System.Net.Http.Headers;
using AspireJwks.Protocol.Jwks;

namespace AspireJwks.Authentication.TokenValidation.Jwks;

/// <summary>A fetched JWKS document, or the issuer's answer that it has not changed.</summary>
internal sealed record JwksResponse(byte[]? Document, EntityTagHeaderValue? ETag)
{
    public bool NotModified => Document is null;
}

/// <summary>
/// Fetches the issuer's JWKS through service discovery, bounded in time and size whatever the
/// issuer does: one attempt (the next refresh is the retry), a deadline covering the body too (a
/// drip-fed answer times out like a silent one), and a body cap (a huge answer is cut off, never
/// buffered). Any failure is a <see cref="JwksFetchException"/> with a short reason for the logs.
/// </summary>
internal sealed class JwksClient(IHttpClientFactory httpClientFactory)
{
    public const string HttpClientName = "aspirejwks-jwks";

    public const string Path = "/.well-known/jwks.json";

    public async Task<JwksResponse> FetchAsync(EntityTagHeaderValue? knownETag, TimeSpan timeout, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Path, UriKind.Relative));
            if (knownETag is not null)
            {
                request.Headers.IfNoneMatch.Add(knownETag);
            }
            using var response = await httpClientFactory.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.StatusCode == HttpStatusCode.NotModified && knownETag is not null)
            {
                return new JwksResponse(null, knownETag);
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new JwksFetchException($"the issuer answered {(int)response.StatusCode}");
            }
            if (response.Content.Headers.ContentLength > JwksDocumentReader.MaxDocumentBytes)
            {
                throw new JwksFetchException($"the document is larger than {JwksDocumentReader.MaxDocumentBytes} bytes");
            }
            var document = await ReadBoundedAsync(response.Content, deadline.Token);
            return new JwksResponse(document, response.Headers.ETag);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            throw new JwksFetchException($"no complete answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new JwksFetchException($"the request failed ({ex.GetType().Name})", ex);
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var body = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > JwksDocumentReader.MaxDocumentBytes)
            {
                throw new JwksFetchException($"the document is larger than {JwksDocumentReader.MaxDocumentBytes} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

/// <summary>The JWKS could not be fetched; the message is ours, never text from the issuer.</summary>
internal sealed class JwksFetchException(string message, Exception? inner = null) : Exception(message, inner);
