using System.Diagnostics;
using System.Net.Http.Headers;
using AspireJwks.Authentication.TokenValidation.Telemetry;
using AspireJwks.Protocol;
using AspireJwks.Protocol.Jwks;
using AspireJwks.Store.KeyChanges;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireJwks.Authentication.TokenValidation.Jwks;

/// <summary>
/// Keeps the JWKS fresh in the background: at start, then every refresh interval or sooner when a
/// token with an unknown kid asks for it. Nothing a refresh meets can stop the host (an exception
/// escaping a BackgroundService does): a refused, hung, slow, garbled, huge or hostile answer is
/// logged once per outage and the keys already held stay in force until a good answer arrives.
/// With a store, the issuer's key change announcements make a refresh happen at once, and a key it
/// no longer publishes stop validating before that refresh even answers.
/// </summary>
internal sealed class JwksRefreshService(
    JwksKeySource keys,
    JwksClient client,
    TimeProvider timeProvider,
    ILogger<JwksRefreshService> logger,
    IKeyChangeChannel? keyChanges = null) : BackgroundService
{
    // One attempt per refresh, never longer than the interval: the next refresh is the retry.
    private static readonly TimeSpan MaximumFetchTime = TimeSpan.FromSeconds(10);

    private EntityTagHeaderValue? _acceptedETag;
    private IReadOnlyList<string> _lastSkipped = [];
    private int _failures;
    private DateTimeOffset _outageStartedAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        keyChanges?.Subscribe(OnAnnouncement);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RefreshOnceAsync(stoppingToken);
                await keys.WaitForNextRefreshAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    internal async Task RefreshOnceAsync(CancellationToken stoppingToken)
    {
        // A trace of its own (it runs in the background), linked to the request that asked for it,
        // so the dashboard shows the fetch, with its HTTP call as a child, next to its cause.
        using var activity = TokenValidationInstrumentation.Source.StartActivity(
            TokenValidationInstrumentation.Spans.JwksRefresh, ActivityKind.Internal, parentContext: default, links: keys.TakeRefreshRequester());
        try
        {
            var timeout = keys.RefreshInterval < MaximumFetchTime ? keys.RefreshInterval : MaximumFetchTime;
            var response = await client.FetchAsync(_acceptedETag, timeout, stoppingToken);
            if (!response.NotModified)
            {
                var result = JwksDocumentReader.Read(response.Document, keys.Current);
                if (result.Keys is null)
                {
                    Failed(activity, result.Refusal!);
                    return;
                }
                ReportSkipped(result.SkippedKeys);
                _acceptedETag = response.ETag;
                if (keys.Publish(result.Keys))
                {
                    logger.LogInformation("Trusting {KeyCount} signing key(s) from the JWKS: {Kids}", result.Keys.Count, string.Join(", ", result.Keys.Kids));
                }
            }
            activity?.SetTag(TelemetryAttributes.JwksKeyCount, keys.Current.Count);
            Recovered();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Failed(activity, ex is JwksFetchException ? ex.Message : $"unexpected {ex.GetType().Name}");
        }
    }

    private void OnAnnouncement(IReadOnlyList<string> publishedKids)
    {
        var before = keys.Current;
        keys.Announced(publishedKids);
        var withdrawn = before.Kids.Where(kid => !keys.Current.TryGet(kid, out _)).ToList();
        if (withdrawn.Count > 0)
        {
            logger.LogInformation("Stopped trusting signing key(s) {Kids}: the issuer announced it no longer publishes them", string.Join(", ", withdrawn));
        }
    }

    private void Failed(Activity? activity, string reason)
    {
        activity?.SetStatus(ActivityStatusCode.Error, reason);
        if (_failures++ == 0)
        {
            _outageStartedAt = timeProvider.GetUtcNow();
            logger.LogWarning("Cannot refresh the JWKS: {Reason}. Keeping the {KeyCount} key(s) already trusted until a refresh succeeds",
                reason, keys.Current.Count);
        }
        else
        {
            logger.LogDebug("JWKS refresh attempt {Attempt} failed: {Reason}", _failures, reason);
        }
    }

    private void Recovered()
    {
        if (_failures > 0)
        {
            logger.LogInformation("The JWKS refresh works again after {Failures} failed attempt(s) over {Duration}",
                _failures, timeProvider.GetUtcNow() - _outageStartedAt);
            _failures = 0;
        }
    }

    private void ReportSkipped(IReadOnlyList<string> skipped)
    {
        if (!skipped.SequenceEqual(_lastSkipped))
        {
            foreach (var reason in skipped)
            {
                logger.LogWarning("Ignored an entry of the JWKS: {Reason}", reason);
            }
        }
        _lastSkipped = skipped;
    }
}
