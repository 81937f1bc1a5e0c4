using System.Diagnostics;
using AspireJwks.ServiceDefaults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Api.Authentication;

/// <summary>
/// Supplies JwtBearer with the issuer's signing keys, fetched from its JWKS through service
/// discovery by <see cref="JwksRefresher"/> on a timer. Written instead of JwtBearer's stock
/// ConfigurationManager because that one refreshes at most every 5 minutes, keeps a "last known
/// good" configuration for an hour (which could bring a revoked key back: JwtBearer only uses it
/// through a BaseConfigurationManager, which this deliberately is not) and cannot resolve a
/// service-discovery address. Requests never wait on a fetch once keys are held, and this never
/// throws: with no keys every token fails validation (401), the safe answer.
/// </summary>
public sealed class JwksConfigurationManager(
    IHttpClientFactory httpClientFactory,
    IOptions<TokenValidationOptions> options,
    TimeProvider timeProvider,
    ILogger<JwksConfigurationManager> logger) : IConfigurationManager<OpenIdConnectConfiguration>, IDisposable
{
    public const string HttpClientName = "jwks";

    // How long the very first request may wait for the first fetch before it is answered 401.
    private static readonly TimeSpan FirstFetchWait = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _fetchLock = new(1, 1);
    private readonly SemaphoreSlim _refreshRequested = new(0, 1);
    private readonly TaskCompletionSource _firstFetch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile OpenIdConnectConfiguration? _current;
    private readonly Lock _refreshGate = new();
    private DateTimeOffset _lastRequestedRefresh = DateTimeOffset.MinValue;
    private ActivityContext? _refreshRequestedBy;

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        if (_current is { } current)
        {
            return current;
        }
        try
        {
            await _firstFetch.Task.WaitAsync(FirstFetchWait, timeProvider, cancel);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("No JWKS fetched yet; rejecting the token");
        }
        return _current ?? new OpenIdConnectConfiguration { Issuer = options.Value.Issuer };
    }

    /// <summary>
    /// Called by JwtBearer when a token names a kid it does not know. Honoured at most once per
    /// refresh interval, counted from the last honoured request rather than from the last timed
    /// fetch (which would make it a no-op), so a flood of random kids costs one extra fetch per
    /// interval, not one per request.
    /// </summary>
    public void RequestRefresh()
    {
        lock (_refreshGate)
        {
            var now = timeProvider.GetUtcNow();
            if (now - _lastRequestedRefresh < options.Value.JwksRefreshInterval)
            {
                return;
            }
            _lastRequestedRefresh = now;
            _refreshRequestedBy = Activity.Current?.Context;
        }
        try
        {
            _refreshRequested.Release();
        }
        catch (SemaphoreFullException)
        {
            // A fetch is already due; it serves this request too.
        }
    }

    /// <summary>Completes when the refresh interval has passed or a refresh was requested.</summary>
    internal async Task WaitForNextRefreshAsync(CancellationToken cancel)
    {
        try
        {
            await _refreshRequested.WaitAsync(options.Value.JwksRefreshInterval, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw;
        }
    }

    /// <summary>Fetches the JWKS; on failure keeps the keys already held, so tokens they verify stay valid while the issuer is away.</summary>
    internal async Task RefreshAsync(CancellationToken cancel)
    {
        await _fetchLock.WaitAsync(cancel);
        // A trace of its own (it runs in the background), linked to the request that asked for it,
        // so the dashboard shows the fetch, with its HTTP call as a child, next to its cause.
        using var activity = JwksTelemetry.Api.StartActivity(
            JwksTelemetry.Spans.JwksRefresh, ActivityKind.Internal, parentContext: default, links: TakeRefreshRequester());
        try
        {
            var client = httpClientFactory.CreateClient(HttpClientName);
            var json = await client.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative), cancel);
            _current = ToConfiguration(new JsonWebKeySet(json));
            _firstFetch.TrySetResult();
            activity?.SetTag(JwksTelemetry.Attributes.JwksKeyCount, _current.SigningKeys.Count);
            logger.LogInformation("Fetched the JWKS: {KeyCount} signing key(s)", _current.SigningKeys.Count);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ArgumentException or System.Text.Json.JsonException
                                   && !cancel.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            logger.LogWarning("Could not fetch the JWKS ({Error}); keeping {KeyCount} cached key(s)",
                ex.Message, _current?.SigningKeys.Count ?? 0);
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    private ActivityLink[]? TakeRefreshRequester()
    {
        lock (_refreshGate)
        {
            var requester = _refreshRequestedBy;
            _refreshRequestedBy = null;
            return requester is { } context ? [new ActivityLink(context)] : null;
        }
    }

    public void Dispose()
    {
        _fetchLock.Dispose();
        _refreshRequested.Dispose();
    }

    private OpenIdConnectConfiguration ToConfiguration(JsonWebKeySet jwks)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = options.Value.Issuer };
        foreach (var key in jwks.Keys)
        {
            // Only public signing keys with a kid and an alg: a symmetric or private key in a JWKS
            // is a misconfiguration (or an attack) and must never become a verification key.
            if (key.Use is "sig" && !string.IsNullOrEmpty(key.Kid) && !string.IsNullOrEmpty(key.Alg)
                && key.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve
                && !key.HasPrivateKey)
            {
                configuration.SigningKeys.Add(key);
            }
            else
            {
                logger.LogWarning("Ignored a JWKS entry that is not a public signing key with kid and alg");
            }
        }
        return configuration;
    }
}
