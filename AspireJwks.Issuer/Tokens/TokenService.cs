using System.Diagnostics;
using AspireJwks.Issuer.RateLimiting;
using AspireJwks.Protocol;
using AspireJwks.Protocol.DPoP;

namespace AspireJwks.Issuer.Tokens;

/// <summary>
/// The client credentials grant (RFC 6749 section 4.4), in the order that decides which error a
/// bad request gets: grant type, client authentication, the client's rate, the DPoP proof if
/// any (RFC 9449 section 5), scope negotiation, then issuance. A client assertion or a proof whose
/// replay check the store cannot answer makes the request <see cref="TokenOutcome.Unavailable"/>.
/// </summary>
internal sealed class TokenService(
    ClientAuthenticator authenticator, ClientRateLimiter clientLimiter, DPoPProofValidator proofs, ScopeNegotiator negotiator, AccessTokenIssuer issuer)
{
    private static readonly OAuthError MissingGrantType = OAuthError.InvalidRequest("grant_type is required.");
    private static readonly OAuthError UnsupportedGrantType =
        new(OAuthErrorCodes.UnsupportedGrantType, "Only the client_credentials grant is supported.");

    public async ValueTask<TokenOutcome> HandleAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.GrantType))
        {
            return new TokenOutcome.Refused(null, MissingGrantType);
        }
        if (request.GrantType != OAuthGrantTypes.ClientCredentials)
        {
            return new TokenOutcome.Refused(null, UnsupportedGrantType);
        }

        var authentication = await authenticator.AuthenticateAsync(request.Credentials, cancellationToken);
        if (authentication.FailureReason == ClientAssertionReasons.StoreUnavailable)
        {
            return new TokenOutcome.Unavailable(null, authentication.FailureReason);
        }
        if (authentication.Client is not { } client)
        {
            return new TokenOutcome.Refused(null, authentication.Error!, FailureReason: authentication.FailureReason);
        }
        var method = authentication.Method!;

        using var lease = await clientLimiter.AcquireAsync(client.ClientId, cancellationToken);
        if (!lease.IsAcquired)
        {
            return new TokenOutcome.RateLimited(client.ClientId, TokenBuckets.RetryAfter(lease));
        }

        string? boundTo = null;
        if (request.DPoPProof is { } proof)
        {
            // A Host header that makes no URL names no request a proof could be for.
            var check = request.TokenEndpoint is { } endpoint
                ? await proofs.ValidateAsync(proof, new DPoPProofContext(HttpMethods.Post, endpoint), cancellationToken)
                : DPoPProofResult.Refused(DPoPProofReasons.WrongUrl, "the request's own URL is not a URL");
            if (check.Store is { } store)
            {
                Activity.Current?.SetTag(TelemetryAttributes.ReplayStore, store);
            }
            if (check.IsUnavailable)
            {
                return new TokenOutcome.Unavailable(client.ClientId, check.Reason!);
            }
            if (check.Nonce is { } nonce)
            {
                // RFC 9449 section 8: the client makes a new proof with this nonce and sends the request again.
                return new TokenOutcome.Refused(client.ClientId, OAuthError.UseDPoPNonce, method, check.Reason, DPoPNonce: nonce);
            }
            if (!check.IsValid)
            {
                return new TokenOutcome.Refused(client.ClientId,
                    new OAuthError(OAuthErrorCodes.InvalidDPoPProof, "The DPoP proof is not valid for this request."), method, check.Reason);
            }
            boundTo = check.Thumbprint;
        }

        var negotiation = negotiator.Negotiate(client, request.Scope, request.Resource);
        if (negotiation.Value is not { } grant)
        {
            return new TokenOutcome.Refused(client.ClientId, negotiation.Error!, method);
        }
        return new TokenOutcome.Issued(client.ClientId, issuer.Issue(client.ClientId, grant, boundTo), grant.Scope, method);
    }
}

/// <summary>How a token request ended; the client id is there once the client has authenticated.</summary>
internal abstract record TokenOutcome
{
    // Closed: these four are every way a request can end.
    private TokenOutcome()
    {
    }

    /// <param name="Method">How the client authenticated (<see cref="ClientAuthenticationMethods"/>).</param>
    public sealed record Issued(string ClientId, IssuedAccessToken Token, string Scope, string Method) : TokenOutcome;

    /// <param name="FailureReason">A finer reason than the error code, for the log and the span (an assertion's or a proof's failed check).</param>
    /// <param name="DPoPNonce">With <c>use_dpop_nonce</c>, the nonce the client's next proof must carry (the <c>DPoP-Nonce</c> header).</param>
    public sealed record Refused(
        string? ClientId, OAuthError Error, string? Method = null, string? FailureReason = null, string? DPoPNonce = null) : TokenOutcome;

    /// <summary>
    /// A one-time JWT's replay check got no answer from the store: the request is refused for now
    /// (503 with Retry-After), never let through without the check.
    /// </summary>
    public sealed record Unavailable(string? ClientId, string Reason) : TokenOutcome;

    /// <summary>The authenticated client is over its rate; it may try again after <paramref name="RetryAfter"/>.</summary>
    public sealed record RateLimited(string ClientId, TimeSpan RetryAfter) : TokenOutcome;
}
