using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireJwks.Protocol;
using Microsoft.Extensions.Logging;
using A = AspireJwks.Protocol.TelemetryAttributes;

namespace AspireJwks.Authentication.TokenValidation.Telemetry;

/// <summary>
/// The <c>token.validate</c> span, the validation metrics and the rejection log, recorded from the
/// JwtBearer events with what validation itself established (the reason, the token's facts), so
/// nothing here reads the token again. Metrics count every request whatever the sampling; the span
/// is made only when the trace is recorded, and the facts are only read for it.
/// </summary>
internal sealed class TokenValidationTelemetry : IDisposable
{
    private static readonly KeyValuePair<string, object?> Valid = new(A.Outcome, TelemetryOutcomes.Valid);
    private static readonly KeyValuePair<string, object?> Invalid = new(A.Outcome, TelemetryOutcomes.Invalid);
    private static readonly KeyValuePair<string, object?> CacheHit = new(A.ValidationCache, TokenValidationInstrumentation.ValidationCacheUse.Hit);
    private static readonly KeyValuePair<string, object?> CacheMiss = new(A.ValidationCache, TokenValidationInstrumentation.ValidationCacheUse.Miss);
    private static readonly KeyValuePair<string, object?> CacheOff = new(A.ValidationCache, TokenValidationInstrumentation.ValidationCacheUse.Off);

    private readonly Counter<long> _validated;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _suppressedLines;
    private readonly RejectionLogLimiter _logLimiter = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TokenValidationTelemetry> _logger;
    private readonly bool _cacheEnabled;

    public TokenValidationTelemetry(IMeterFactory meterFactory, ValidatedTokenCache cache, TimeProvider timeProvider, ILogger<TokenValidationTelemetry> logger)
    {
        var meter = meterFactory.Create(TokenValidationInstrumentation.MeterName);
        _validated = meter.CreateCounter<long>(TokenValidationInstrumentation.Metrics.TokensValidated, "{token}",
            "Bearer tokens validated, by outcome, failure reason and whether the validation cache answered.");
        _duration = meter.CreateHistogram<double>(TokenValidationInstrumentation.Metrics.ValidateDuration, "s",
            "Time to validate a bearer token, by outcome, failure reason and whether the validation cache answered.");
        _suppressedLines = meter.CreateCounter<long>(TokenValidationInstrumentation.Metrics.RejectionLinesSuppressed, "{line}",
            "Token rejection log lines left out by the log rate limit.");
        _cacheEnabled = cache.Enabled;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Rejection lines the log limit lets through right now.</summary>
    public long RejectionLinesAvailable => _logLimiter.Available;

    /// <param name="replayStore">Which store answered the DPoP proof's replay check, if the request had a proof.</param>
    public void RecordValid(AccessToken token, long startTimestamp, bool cacheHit, string? replayStore = null)
    {
        var elapsed = _timeProvider.GetElapsedTime(startTimestamp);
        var cache = !_cacheEnabled ? CacheOff : cacheHit ? CacheHit : CacheMiss;
        _validated.Add(1, Valid, cache);
        _duration.Record(elapsed.TotalSeconds, Valid, cache);

        // Accepted tokens are the hot path: the facts are read only for a span that will be
        // recorded or a Debug line that will be written.
        using var activity = StartSpan(elapsed);
        if (activity is { IsAllDataRequested: true })
        {
            Tag(activity, token.Facts)
                .SetTag(A.Scope, token.Claims.Scope)
                .SetTag(A.TokenType, token.Claims.BoundTo is null ? AccessTokenProtocol.BearerScheme : AccessTokenProtocol.DPoPScheme)
                .SetTag(A.Outcome, TelemetryOutcomes.Valid)
                .SetTag(cache.Key, cache.Value)
                .SetTag(A.ReplayStore, replayStore);
        }
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            ValidationLog.Accepted(_logger, token.Facts.Jti, token.Facts.ClientId);
        }
    }

    public void RecordInvalid(string reason, TokenFacts facts, long startTimestamp, string? replayStore = null)
    {
        var elapsed = _timeProvider.GetElapsedTime(startTimestamp);
        var outcome = Invalid;
        var reasonTag = new KeyValuePair<string, object?>(A.Reason, reason);
        var cache = _cacheEnabled ? CacheMiss : CacheOff;
        _validated.Add(1, outcome, reasonTag, cache);
        _duration.Record(elapsed.TotalSeconds, outcome, reasonTag, cache);

        using var activity = StartSpan(elapsed);
        if (activity is not null)
        {
            Tag(activity, facts)
                .SetTag(A.Outcome, TelemetryOutcomes.Invalid)
                .SetTag(A.Reason, reason)
                .SetTag(cache.Key, cache.Value)
                .SetTag(A.ReplayStore, replayStore)
                .SetStatus(ActivityStatusCode.Error, reason);
        }
        LogRejected(facts, reason);
    }

    /// <summary>A valid token whose scope did not allow the call: refused by authorization, after validation.</summary>
    public void RecordForbidden(TokenFacts facts) => LogRejected(facts, TokenRejectionReasons.InsufficientScope);

    private void LogRejected(TokenFacts facts, string reason)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }
        if (!_logLimiter.TryAcquire(out var suppressedBefore))
        {
            _suppressedLines.Add(1);
            return;
        }
        if (suppressedBefore > 0)
        {
            ValidationLog.Suppressed(_logger, suppressedBefore);
        }
        ValidationLog.Rejected(_logger, facts.Jti, facts.Kid, facts.ClientId, reason);
    }

    /// <summary>The span, made after the fact with the validation's own start: only its duration is the validation.</summary>
    private Activity? StartSpan(TimeSpan elapsed) =>
        TokenValidationInstrumentation.Source.HasListeners()
            ? TokenValidationInstrumentation.Source.StartActivity(TokenValidationInstrumentation.Spans.TokenValidate, ActivityKind.Internal,
                parentContext: default, startTime: _timeProvider.GetUtcNow() - elapsed)
            : null;

    private static Activity Tag(Activity activity, TokenFacts facts) =>
        activity.SetTag(A.Kid, facts.Kid)
            .SetTag(A.Alg, facts.Alg)
            .SetTag(A.Jti, facts.Jti)
            .SetTag(A.ClientId, facts.ClientId);

    public void Dispose() => _logLimiter.Dispose();
}
