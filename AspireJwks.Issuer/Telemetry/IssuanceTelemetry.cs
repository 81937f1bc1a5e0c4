using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireJwks.Issuer.Tokens;
using AspireJwks.Protocol;

namespace AspireJwks.Issuer.Telemetry;

/// <summary>
/// The instruments of token issuance. Counters and histograms are recorded for every request,
/// sampled or not, so the metrics stay exact whatever the trace sampling ratio.
/// </summary>
internal sealed class IssuanceTelemetry
{
    private readonly Counter<long> _issued;
    private readonly Histogram<double> _duration;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<IssuanceTelemetry> _logger;

    public IssuanceTelemetry(IMeterFactory meterFactory, TimeProvider timeProvider, ILogger<IssuanceTelemetry> logger)
    {
        var meter = meterFactory.Create(IssuerInstrumentation.MeterName);
        _issued = meter.CreateCounter<long>(IssuerInstrumentation.Metrics.TokensIssued, "{token}",
            "Access tokens issued, by client and signing algorithm.");
        _duration = meter.CreateHistogram<double>(IssuerInstrumentation.Metrics.IssueDuration, "s",
            "Time to answer a token request, by outcome and failure reason.");
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Starts the <c>token.issue</c> span and the clock; dispose the result when the request is answered.</summary>
    public TokenIssuance Start() =>
        new(this, IssuerInstrumentation.Source.StartActivity(IssuerInstrumentation.Spans.TokenIssue), _timeProvider.GetTimestamp());

    internal void RecordIssued(IssuedAccessToken token, string clientId, string scope)
    {
        _issued.Add(1,
            new KeyValuePair<string, object?>(TelemetryAttributes.ClientId, clientId),
            new KeyValuePair<string, object?>(TelemetryAttributes.Alg, token.Algorithm));
        IssuanceLog.Issued(_logger, token.Jti, clientId, token.Kid, token.Algorithm, scope);
    }

    internal void RecordRejected(string reason, string? clientId) =>
        // Only an authenticated client's id is named: an unauthenticated one is whatever the caller typed.
        IssuanceLog.Rejected(_logger, reason, clientId ?? "unauthenticated");

    internal void RecordDuration(long startTimestamp, string? reason)
    {
        var seconds = _timeProvider.GetElapsedTime(startTimestamp).TotalSeconds;
        if (reason is null)
        {
            _duration.Record(seconds, new KeyValuePair<string, object?>(TelemetryAttributes.Outcome, TelemetryOutcomes.Issued));
        }
        else
        {
            _duration.Record(seconds,
                new KeyValuePair<string, object?>(TelemetryAttributes.Outcome, TelemetryOutcomes.Rejected),
                new KeyValuePair<string, object?>(TelemetryAttributes.Reason, reason));
        }
    }
}

/// <summary>
/// One token request as telemetry sees it: the span (null when the trace is not sampled), what is
/// known so far, and the outcome. Holds only facts about the token, never the token itself.
/// </summary>
internal sealed class TokenIssuance(IssuanceTelemetry telemetry, Activity? activity, long startTimestamp) : IDisposable
{
    private string? _clientId;
    private string? _rejectionReason;

    /// <summary>The client proved who it is; later outcomes are attributed to it.</summary>
    /// <param name="method">How it authenticated (a secret or a signed assertion): never the credential itself.</param>
    public void Authenticated(string clientId, string? method = null)
    {
        _clientId = clientId;
        activity?.SetTag(TelemetryAttributes.ClientId, clientId)
            .SetTag(TelemetryAttributes.ClientAuthMethod, method);
    }

    public void Issued(IssuedAccessToken token, string scope)
    {
        activity?.SetTag(TelemetryAttributes.Kid, token.Kid)
            .SetTag(TelemetryAttributes.Alg, token.Algorithm)
            .SetTag(TelemetryAttributes.Jti, token.Jti)
            .SetTag(TelemetryAttributes.Scope, scope)
            .SetTag(TelemetryAttributes.TokenType, token.TokenType)
            .SetTag(TelemetryAttributes.Outcome, TelemetryOutcomes.Issued);
        telemetry.RecordIssued(token, _clientId ?? "", scope);
    }

    /// <summary>The request was refused with an OAuth error code (RFC 6749 5.2), which is the reason.</summary>
    /// <param name="detail">Which check of an assertion or a DPoP proof failed, when one did: a fixed word, never the JWT.</param>
    public void Rejected(string reason, string? detail = null)
    {
        _rejectionReason = reason;
        activity?.SetTag(TelemetryAttributes.Outcome, TelemetryOutcomes.Rejected)
            .SetTag(TelemetryAttributes.Reason, reason)
            .SetTag(TelemetryAttributes.RejectionDetail, detail)
            .SetStatus(ActivityStatusCode.Error, reason);
        telemetry.RecordRejected(reason, _clientId);
    }

    public void Dispose()
    {
        telemetry.RecordDuration(startTimestamp, _rejectionReason);
        activity?.Dispose();
    }
}
