using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Claims;
using AspireJwks.ServiceDefaults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Api.Telemetry;

/// <summary>
/// Wraps the request's authentication in a <c>token.validate</c> span and records its outcome.
/// It calls the same <c>AuthenticateAsync</c> the authentication middleware calls next; the
/// handler caches its result per request, so the token is validated once.
/// </summary>
public sealed class TokenValidationTelemetry
{
    // Longer values come from a forged token and would only bloat logs and spans.
    private const int MaxClaimedValueLength = 64;

    private readonly Counter<long> _validated;
    private readonly Histogram<double> _duration;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TokenValidationTelemetry> _logger;

    public TokenValidationTelemetry(IMeterFactory meterFactory, TimeProvider timeProvider, ILogger<TokenValidationTelemetry> logger)
    {
        var meter = meterFactory.Create(JwksTelemetry.MeterName);
        _validated = meter.CreateCounter<long>(JwksTelemetry.Metrics.TokensValidated, "{token}",
            "Bearer tokens validated, by outcome and failure reason.");
        _duration = meter.CreateHistogram<double>(JwksTelemetry.Metrics.ValidateDuration, "s",
            "Time to validate a bearer token, by outcome and failure reason.");
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<AuthenticateResult> AuthenticateAsync(HttpContext context)
    {
        var start = _timeProvider.GetTimestamp();
        using var activity = JwksTelemetry.Api.StartActivity(JwksTelemetry.Spans.TokenValidate);
        var result = await context.AuthenticateAsync();
        var seconds = _timeProvider.GetElapsedTime(start).TotalSeconds;

        if (result.Succeeded)
        {
            RecordValid(context, result.Principal, activity, seconds);
        }
        else
        {
            RecordInvalid(context, result.Failure, activity, seconds);
        }
        return result;
    }

    /// <summary>A valid token whose scope did not allow the call: refused by authorization, after validation.</summary>
    public void RecordForbidden(HttpContext context)
    {
        var facts = TokenFacts.Of(context);
        ValidationLog.Rejected(_logger, facts.Jti, facts.Kid, facts.ClientId, ValidationFailureReasons.InsufficientScope);
    }

    private void RecordValid(HttpContext context, ClaimsPrincipal? principal, Activity? activity, double seconds)
    {
        var outcome = new KeyValuePair<string, object?>(JwksTelemetry.Attributes.Outcome, JwksTelemetry.Outcomes.Valid);
        _validated.Add(1, outcome);
        _duration.Record(seconds, outcome);
        // Accepted tokens are the hot path: read the token's facts only for a span that will be
        // exported or a Debug line that will be written.
        var recorded = activity is { IsAllDataRequested: true };
        var debug = _logger.IsEnabled(LogLevel.Debug);
        if (!recorded && !debug)
        {
            return;
        }
        var facts = TokenFacts.Of(context);
        if (recorded)
        {
            facts.Tag(activity!)
                .SetTag(JwksTelemetry.Attributes.Scope, principal?.FindFirst("scope")?.Value)
                .SetTag(JwksTelemetry.Attributes.Outcome, JwksTelemetry.Outcomes.Valid);
        }
        if (debug)
        {
            ValidationLog.Accepted(_logger, facts.Jti, facts.ClientId);
        }
    }

    private void RecordInvalid(HttpContext context, Exception? failure, Activity? activity, double seconds)
    {
        var facts = TokenFacts.Of(context);
        var reason = ValidationFailureReasons.From(failure, facts.Alg);
        var outcome = new KeyValuePair<string, object?>(JwksTelemetry.Attributes.Outcome, JwksTelemetry.Outcomes.Invalid);
        var reasonTag = new KeyValuePair<string, object?>(JwksTelemetry.Attributes.Reason, reason);
        _validated.Add(1, outcome, reasonTag);
        _duration.Record(seconds, outcome, reasonTag);

        if (activity is not null)
        {
            facts.Tag(activity)
                .SetTag(JwksTelemetry.Attributes.Outcome, JwksTelemetry.Outcomes.Invalid)
                .SetTag(JwksTelemetry.Attributes.Reason, reason)
                .SetStatus(ActivityStatusCode.Error, reason);
        }
        ValidationLog.Rejected(_logger, facts.Jti, facts.Kid, facts.ClientId, reason);
    }

    /// <summary>
    /// What a token says about itself: its header's kid and alg and its jti and client_id claims.
    /// For a refused token these are claims, not facts, so they are cut short; never the token.
    /// </summary>
    private readonly record struct TokenFacts(string Kid, string Alg, string Jti, string ClientId)
    {
        private static readonly TokenFacts Unreadable = new("", "", "", "");

        public static TokenFacts Of(HttpContext context)
        {
            if (context.Features.Get<ValidatedTokenFeature>() is { } validated)
            {
                return From(validated.Token);
            }
            var header = context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith(TokenValidationTelemetryMiddleware.BearerPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return Unreadable;
            }
            try
            {
                return From(new JsonWebToken(header[TokenValidationTelemetryMiddleware.BearerPrefix.Length..].Trim()));
            }
            catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
            {
                return Unreadable;
            }
        }

        public Activity Tag(Activity activity) =>
            activity.SetTag(JwksTelemetry.Attributes.Kid, Kid)
                .SetTag(JwksTelemetry.Attributes.Alg, Alg)
                .SetTag(JwksTelemetry.Attributes.Jti, Jti)
                .SetTag(JwksTelemetry.Attributes.ClientId, ClientId);

        private static TokenFacts From(JsonWebToken token) => new(
            Bounded(token.Kid),
            Bounded(token.Alg),
            Bounded(token.Id),
            Bounded(token.TryGetPayloadValue<string>("client_id", out var clientId) ? clientId : null));

        private static string Bounded(string? value) =>
            value is null ? "" : value.Length <= MaxClaimedValueLength ? value : value[..MaxClaimedValueLength];
    }
}
