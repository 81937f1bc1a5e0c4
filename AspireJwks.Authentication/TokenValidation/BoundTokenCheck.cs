using AspireJwks.Protocol;
using AspireJwks.Protocol.DPoP;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;
using R = AspireJwks.Authentication.TokenValidation.TokenRejectionReasons;

namespace AspireJwks.Authentication.TokenValidation;

/// <summary>
/// After a token is valid (validated now, or found in the validated-token cache), whether this
/// request may present it (RFC 9449 section 7): a bound token only with the DPoP scheme and a
/// valid proof of its key for this very request, an unbound one only as Bearer and only where
/// DPoP is not required. Runs on every request: the cache saves a token's signature check,
/// never its proof's. A Bearer token needs no replay check, so it never waits on the store.
/// </summary>
internal sealed class BoundTokenCheck(DPoPProofValidator proofs, IOptions<TokenValidationOptions> options)
{
    private readonly bool _requireDPoP = options.Value.RequireDPoP;

    public bool RequireDPoP => _requireDPoP;

    /// <param name="scheme">The Authorization scheme the token came with: Bearer or DPoP.</param>
    /// <param name="token">The access token exactly as presented, for the proof's <c>ath</c>.</param>
    /// <returns>Why the request may not present the token, or null; and which replay store answered, if one was asked.</returns>
    public async ValueTask<(DPoPRejectedException? Refusal, string? ReplayStore)> CheckAsync(
        HttpRequest request, string scheme, string token, AccessToken validated)
    {
        var facts = validated.Facts;
        var isDPoP = scheme == AccessTokenProtocol.DPoPScheme;
        if (validated.Claims.BoundTo is not { } boundTo)
        {
            return (isDPoP ? Token(R.UnboundTokenAsDPoP, "the DPoP scheme presents a token that is not bound to a key", facts)
                : _requireDPoP ? Token(R.DPoPRequired, "this API accepts only DPoP-bound tokens", facts)
                : null, null);
        }
        if (!isDPoP)
        {
            return (Token(R.BoundTokenAsBearer, "a DPoP-bound token was presented as a Bearer token", facts), null);
        }
        var proof = request.Headers[DPoPProtocol.HeaderName];
        if (proof.Count != 1 || string.IsNullOrEmpty(proof[0]))
        {
            return (Proof(DPoPProofReasons.Missing, "a bound token needs exactly one DPoP proof header", facts), null);
        }
        // The URL as the client addressed it: the Host header it sent (a proxy in front must keep
        // it, or restore it with ForwardedHeaders), this request's path, no query.
        if (!Uri.TryCreate(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path), UriKind.Absolute, out var target))
        {
            return (Proof(DPoPProofReasons.WrongUrl, "the request's own URL is not a URL", facts), null);
        }
        var result = await proofs.ValidateAsync(proof[0]!, new DPoPProofContext(request.Method, target, token, boundTo), request.HttpContext.RequestAborted);
        var refusal = result switch
        {
            { IsValid: true } => null,
            { Nonce: { } nonce } => new DPoPRejectedException(DPoPRejectedException.UseNonce, result.Reason!, result.Message!, facts, nonce),
            _ => Proof(result.Reason!, result.Message!, facts),
        };
        return (refusal, result.Store);
    }

    private static DPoPRejectedException Token(string reason, string message, TokenFacts facts) =>
        new(DPoPRejectedException.InvalidToken, reason, message, facts);

    private static DPoPRejectedException Proof(string reason, string message, TokenFacts facts) =>
        new(DPoPRejectedException.InvalidProof, reason, message, facts);
}
