using System.Threading.RateLimiting;
using AspireJwks.Auth.RateLimiting;

namespace AspireJwks.Auth.Tokens;

/// <summary>
/// The client credentials grant (RFC 6749 section 4.4), in the order that decides which error a
/// bad request gets: grant type, client authentication, the client's rate, scope negotiation,
/// then issuance.
/// </summary>
public sealed class TokenService(
    ClientAuthenticator authenticator, ClientRateLimiter clientLimiter, ScopeNegotiator negotiator, AccessTokenIssuer issuer)
{
    private static readonly OAuthError MissingGrantType = OAuthError.InvalidRequest("grant_type is required.");
    private static readonly OAuthError UnsupportedGrantType =
        new(OAuthErrorCodes.UnsupportedGrantType, "Only the client_credentials grant is supported.");

    public TokenOutcome Handle(TokenRequest request)
    {
        if (string.IsNullOrEmpty(request.GrantType))
        {
            return new TokenOutcome.Refused(null, MissingGrantType);
        }
        if (request.GrantType != OAuthGrantTypes.ClientCredentials)
        {
            return new TokenOutcome.Refused(null, UnsupportedGrantType);
        }

        var authentication = authenticator.Authenticate(request.Credentials);
        if (authentication.Client is not { } client)
        {
            return new TokenOutcome.Refused(null, authentication.Error!);
        }

        using var lease = clientLimiter.Acquire(client.ClientId);
        if (!lease.IsAcquired)
        {
            return new TokenOutcome.RateLimited(client.ClientId, TokenBuckets.RetryAfter(lease));
        }

        var negotiation = negotiator.Negotiate(client, request.Scope, request.Resource);
        if (negotiation.Value is not { } grant)
        {
            return new TokenOutcome.Refused(client.ClientId, negotiation.Error!);
        }
        return new TokenOutcome.Issued(client.ClientId, issuer.Issue(client.ClientId, grant), grant.Scope);
    }
}

/// <summary>How a token request ended; the client id is there once the client has authenticated.</summary>
public abstract record TokenOutcome
{
    // Closed: these three are every way a request can end.
    private TokenOutcome()
    {
    }

    public sealed record Issued(string ClientId, IssuedAccessToken Token, string Scope) : TokenOutcome;

    public sealed record Refused(string? ClientId, OAuthError Error) : TokenOutcome;

    /// <summary>The authenticated client is over its rate; it may try again after <paramref name="RetryAfter"/>.</summary>
    public sealed record RateLimited(string ClientId, TimeSpan RetryAfter) : TokenOutcome;
}
