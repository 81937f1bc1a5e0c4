using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using AspireJwks.Protocol;
using AspireJwks.Protocol.DPoP;

namespace AspireJwks.Authentication.DPoP;

/// <summary>
/// Adds a DPoP proof to every request of its HttpClient (RFC 9449 sections 4, 5 and 7): for the
/// request as it is sent, so it sits after service discovery in the handler chain and each retry
/// of the resilience handler gets a proof of its own. A request that presents a DPoP token gets
/// the token's hash in its proof. When a server answers <c>use_dpop_nonce</c> with a
/// <c>DPoP-Nonce</c> (RFC 9449 sections 8 and 9), the request is sent once more with the nonce,
/// and later proofs to that server carry the newest nonce it gave. A request that holds another
/// one-time credential (a token request with a client assertion) is not sent again as it was: its
/// sender makes a new one and sends it again itself (<see cref="SenderRetriesForNonce"/>).
/// </summary>
internal sealed class DPoPProofHandler(DPoPProofSigner signer) : DelegatingHandler
{
    private const string UseNonce = "use_dpop_nonce";

    /// <summary>Set on a request whose sender answers <c>use_dpop_nonce</c> itself, with a new request.</summary>
    public static readonly HttpRequestOptionsKey<bool> SenderRetriesForNonce = new("AspireJwks.DPoP.SenderRetriesForNonce");

    // Per origin (scheme, host, port): a nonce is the issuing server's, never another's.
    private readonly ConcurrentDictionary<string, string> _nonces = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.RequestUri ?? throw new InvalidOperationException("A DPoP request needs an absolute URI.");
        var origin = target.GetLeftPart(UriPartial.Authority);
        AddProof(request, target, origin);
        var response = await base.SendAsync(request, cancellationToken);
        var nonce = RememberNonce(response, origin);
        if (nonce is null || (request.Options.TryGetValue(SenderRetriesForNonce, out var senderRetries) && senderRetries)
            || !await AsksForNonceAsync(response, cancellationToken) || request.Content is not (null or ByteArrayContent))
        {
            return response;
        }
        response.Dispose();
        AddProof(request, target, origin);
        var retried = await base.SendAsync(request, cancellationToken);
        RememberNonce(retried, origin);
        return retried;
    }

    private void AddProof(HttpRequestMessage request, Uri target, string origin)
    {
        var authorization = request.Headers.Authorization;
        var token = authorization?.Scheme.Equals(AccessTokenProtocol.DPoPScheme, StringComparison.OrdinalIgnoreCase) == true ? authorization.Parameter : null;
        request.Headers.Remove(DPoPProtocol.HeaderName);
        request.Headers.TryAddWithoutValidation(DPoPProtocol.HeaderName,
            signer.Create(request.Method.Method, target, token, _nonces.GetValueOrDefault(origin)));
    }

    private string? RememberNonce(HttpResponseMessage response, string origin)
    {
        if (!response.Headers.TryGetValues(DPoPProtocol.NonceHeaderName, out var values) || values.LastOrDefault() is not { Length: > 0 and <= 256 } nonce)
        {
            return null;
        }
        _nonces[origin] = nonce;
        return nonce;
    }

    /// <summary>A token endpoint says so in its JSON error (400), a resource server in its DPoP challenge (401).</summary>
    private static async Task<bool> AsksForNonceAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return response.Headers.WwwAuthenticate.Any(challenge =>
                challenge.Scheme.Equals(AccessTokenProtocol.DPoPScheme, StringComparison.OrdinalIgnoreCase)
                && challenge.Parameter?.Contains($"error=\"{UseNonce}\"", StringComparison.Ordinal) == true);
        }
        if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return false;
        }
        try
        {
            // Buffered, so the caller can still read the body if this is not a nonce request.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var error = await response.Content.ReadFromJsonAsync(DPoPJsonContext.Default.DPoPErrorBody, cancellationToken);
            return error?.Error == UseNonce;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}

internal sealed record DPoPErrorBody([property: JsonPropertyName("error")] string? Error);

[JsonSerializable(typeof(DPoPErrorBody))]
internal sealed partial class DPoPJsonContext : JsonSerializerContext;
