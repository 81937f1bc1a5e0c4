using System.Collections.Concurrent;
using System.Diagnostics;
using AspireJwks.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AspireJwks.Authentication.ClientCredentials;

/// <summary>An access token held for reuse, with what the dashboard may show of it (never the token).</summary>
/// <param name="Scheme">How the token is presented: Bearer, or DPoP for a token bound to this process's key.</param>
internal sealed record CachedAccessToken(string Value, string Kid, string Jti, DateTimeOffset ExpiresAt, DateTimeOffset RenewAt, string Scheme);

/// <summary>
/// The client's access tokens, one per scope set and binding (Bearer or DPoP): reused until shortly before they expire, renewed
/// by the first caller after that, and fetched once for any number of concurrent callers (they all
/// await the same request). A failed request is not cached: the next caller asks again.
/// </summary>
internal sealed class AccessTokenCache(TokenEndpointClient endpoint, TimeProvider timeProvider, ILogger<AccessTokenCache> logger)
{
    // Renewed this long before it expires, but never earlier than after three quarters of its life,
    // so that a short-lived token is still reused.
    private static readonly TimeSpan RenewalMargin = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<TokenKey, Lazy<Task<CachedAccessToken>>> _tokens = new();

    public async Task<CachedAccessToken> GetAsync(string scope, CancellationToken cancellationToken, bool dpop = false)
    {
        var key = new TokenKey(scope, dpop);
        // The request this call started, if any: its token was fetched for this call, not reused.
        Lazy<Task<CachedAccessToken>>? created = null;
        while (true)
        {
            var entry = _tokens.GetOrAdd(key, wanted => created = Fetch(wanted));
            var token = await entry.Value.WaitAsync(cancellationToken);
            if (timeProvider.GetUtcNow() < token.RenewAt)
            {
                // Fetched for this call, or one another call fetched (or is fetching) and this one shares.
                Activity.Current?.AddEvent(Event(ReferenceEquals(entry, created) ? "access_token.fetched" : "access_token.reused", token));
                return token;
            }
            // Due for renewal: the first caller swaps in a new request, the others find it on the next turn.
            var renewal = Fetch(key);
            if (_tokens.TryUpdate(key, renewal, entry))
            {
                created = renewal;
            }
        }
    }

    /// <summary>Drops <paramref name="rejected"/> if it is still the cached token, so the next call fetches a new one.</summary>
    public void Invalidate(string scope, CachedAccessToken rejected, bool dpop = false)
    {
        var key = new TokenKey(scope, dpop);
        if (_tokens.TryGetValue(key, out var entry) && entry.Value.IsCompletedSuccessfully && entry.Value.Result == rejected)
        {
            _tokens.TryRemove(new KeyValuePair<TokenKey, Lazy<Task<CachedAccessToken>>>(key, entry));
        }
    }

    private Lazy<Task<CachedAccessToken>> Fetch(TokenKey key)
    {
        Lazy<Task<CachedAccessToken>>? fetch = null;
        fetch = new(async () =>
        {
            try
            {
                return await FetchAsync(key);
            }
            catch
            {
                // The request removes itself, not its callers: when every caller has given up
                // (their own timeouts), none is left to do it, and the next would get this old failure.
                _tokens.TryRemove(new KeyValuePair<TokenKey, Lazy<Task<CachedAccessToken>>>(key, fetch!));
                throw;
            }
        });
        return fetch;
    }

    private async Task<CachedAccessToken> FetchAsync(TokenKey key)
    {
        var scope = key.Scope;
        // Not the caller's cancellation: other callers share this request.
        var response = await endpoint.RequestAsync(scope, CancellationToken.None, key.DPoP);
        var now = timeProvider.GetUtcNow();
        var lifetime = TimeSpan.FromSeconds(response.ExpiresIn);
        var margin = lifetime / 4 < RenewalMargin ? lifetime / 4 : RenewalMargin;
        var jwt = new JsonWebToken(response.AccessToken);
        var token = new CachedAccessToken(response.AccessToken, jwt.Kid, jwt.Id, now + lifetime, now + lifetime - margin,
            key.DPoP ? AccessTokenProtocol.DPoPScheme : AccessTokenProtocol.BearerScheme);
        logger.LogInformation(
            "Got an access token for scope '{Scope}' ({TokenType}, client authenticated by {AuthenticationMethod}; kid {Kid}, jti {Jti}), valid until {ExpiresAt:O}; reusing it until {RenewAt:O}",
            scope, token.Scheme, endpoint.AuthenticationMethod, token.Kid, token.Jti, token.ExpiresAt, token.RenewAt);
        return token;
    }

    private readonly record struct TokenKey(string Scope, bool DPoP);

    private static ActivityEvent Event(string name, CachedAccessToken token) => new(name, tags: new ActivityTagsCollection
    {
        [TelemetryAttributes.Kid] = token.Kid,
        [TelemetryAttributes.Jti] = token.Jti,
    });
}
