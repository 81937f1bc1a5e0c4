using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using AspireJwks.Authentication.TokenValidation.Telemetry;
using AspireJwks.Protocol;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AspireJwks.Tests.Telemetry;

[Collection(InProcessCollection.Name)]
public sealed class ValidationTelemetryTests(InProcessServices services) : IDisposable
{
    private readonly ActivityCapture _spans = new();

    private IMeterFactory Meters => services.Api.Services.GetRequiredService<IMeterFactory>();

    private FakeLogCollector Logs => services.Api.Services.GetFakeLogCollector();

    [Fact]
    public async Task A_valid_token_has_a_token_validate_span_inside_the_request_span()
    {
        var token = new JsonWebToken(await services.IssueTokenAsync(ActivityCapture.NewTrace().TraceParent));
        var (traceParent, traceId) = ActivityCapture.NewTrace();

        using var response = await services.CallApiAsync(traceParent, $"Bearer {token.EncodedToken}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = _spans.SingleSpan(traceId, TokenValidationInstrumentation.Spans.TokenValidate);
        Assert.Equal(TokenValidationInstrumentation.SourceName, span.Source.Name);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal(TelemetryOutcomes.Valid, span.GetTagItem(TelemetryAttributes.Outcome));
        Assert.Null(span.GetTagItem(TelemetryAttributes.Reason));
        Assert.Equal(token.Kid, span.GetTagItem(TelemetryAttributes.Kid));
        Assert.Equal("RS256", span.GetTagItem(TelemetryAttributes.Alg));
        Assert.Equal(token.Id, span.GetTagItem(TelemetryAttributes.Jti));
        Assert.Equal(InProcessServices.ClientId, span.GetTagItem(TelemetryAttributes.ClientId));
        Assert.Equal("api.read", span.GetTagItem(TelemetryAttributes.Scope));
        var request = _spans.InTrace(traceId).Single(activity => activity.Kind == ActivityKind.Server);
        Assert.Equal(request.SpanId, span.ParentSpanId);
    }

    [Fact]
    public async Task A_valid_token_is_counted_as_valid_and_timed_without_an_information_line()
    {
        var token = await services.IssueTokenAsync(ActivityCapture.NewTrace().TraceParent);
        using var validated = new MetricCollector<long>(Meters, TokenValidationInstrumentation.MeterName, TokenValidationInstrumentation.Metrics.TokensValidated);
        using var duration = new MetricCollector<double>(Meters, TokenValidationInstrumentation.MeterName, TokenValidationInstrumentation.Metrics.ValidateDuration);
        Logs.Clear();

        using var response = await services.CallApiAsync(ActivityCapture.NewTrace().TraceParent, $"Bearer {token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var count = Assert.Single(validated.GetMeasurementSnapshot());
        Assert.Equal(1, count.Value);
        Assert.Equal(TelemetryOutcomes.Valid, count.Tags[TelemetryAttributes.Outcome]);
        Assert.False(count.Tags.ContainsKey(TelemetryAttributes.Reason));
        Assert.True(Assert.Single(duration.GetMeasurementSnapshot()).Value > 0);
        // Accepted requests are the bulk of the traffic: a line each would drown the rejections.
        Assert.DoesNotContain(Logs.GetSnapshot(), record => record.Level >= LogLevel.Information);
    }

    public static TheoryData<string> FailureReasons =>
    [
        "expired", "not_yet_valid", "bad_signature", "unknown_kid", "wrong_audience", "wrong_issuer",
        "wrong_type", "alg_not_allowed", "alg_none", "missing_exp", "malformed",
    ];

    [Theory]
    [MemberData(nameof(FailureReasons))]
    public async Task A_refused_token_has_an_error_span_a_counted_reason_and_one_information_line(string reason)
    {
        var token = TokenFailing(reason);
        // The API writes at most 20 rejection lines a second; the tests before this one in the
        // collection may have just used them, and this one needs its line written, not counted out.
        var telemetry = services.Api.Services.GetRequiredService<TokenValidationTelemetry>();
        await Eventually.TrueAsync(() => telemetry.RejectionLinesAvailable >= 2, TimeSpan.FromSeconds(5), "the rejection log limit let lines through again");
        using var validated = new MetricCollector<long>(Meters, TokenValidationInstrumentation.MeterName, TokenValidationInstrumentation.Metrics.TokensValidated);
        Logs.Clear();
        var (traceParent, traceId) = ActivityCapture.NewTrace();

        using var response = await services.CallApiAsync(traceParent, $"Bearer {token}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // An unsigned token is refused for its algorithm, like any other algorithm off the list.
        reason = reason == "alg_none" ? "alg_not_allowed" : reason;
        var span = _spans.SingleSpan(traceId, TokenValidationInstrumentation.Spans.TokenValidate);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(reason, span.StatusDescription);
        Assert.Equal(TelemetryOutcomes.Invalid, span.GetTagItem(TelemetryAttributes.Outcome));
        Assert.Equal(reason, span.GetTagItem(TelemetryAttributes.Reason));

        var count = Assert.Single(validated.GetMeasurementSnapshot());
        Assert.Equal(TelemetryOutcomes.Invalid, count.Tags[TelemetryAttributes.Outcome]);
        Assert.Equal(reason, count.Tags[TelemetryAttributes.Reason]);

        var line = Assert.Single(Logs.GetSnapshot(), record => record.Id.Id == 2001);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(reason, line.GetStructuredStateValue("Reason"));
        if (reason != "malformed")
        {
            var claimed = new JsonWebToken(token);
            Assert.Equal(claimed.Kid, span.GetTagItem(TelemetryAttributes.Kid));
            Assert.Equal(claimed.Id, span.GetTagItem(TelemetryAttributes.Jti));
            Assert.Equal(claimed.Id, line.GetStructuredStateValue("Jti"));
            Assert.Equal(claimed.Kid, line.GetStructuredStateValue("Kid"));
        }
        Assert.DoesNotContain(Logs.GetSnapshot(), record => record.Level >= LogLevel.Warning && (record.Category ?? "").StartsWith("AspireJwks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_valid_token_without_the_required_scope_is_logged_as_insufficient_scope()
    {
        var token = new JsonWebToken(await services.IssueTokenAsync(ActivityCapture.NewTrace().TraceParent, scope: "api.other"));
        Logs.Clear();
        var (traceParent, traceId) = ActivityCapture.NewTrace();

        using var response = await services.CallApiAsync(traceParent, $"Bearer {token.EncodedToken}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(TelemetryOutcomes.Valid,
            _spans.SingleSpan(traceId, TokenValidationInstrumentation.Spans.TokenValidate).GetTagItem(TelemetryAttributes.Outcome));
        var line = Assert.Single(Logs.GetSnapshot(), record => record.Id.Id == 2001);
        Assert.Equal("insufficient_scope", line.GetStructuredStateValue("Reason"));
        Assert.Equal(token.Id, line.GetStructuredStateValue("Jti"));
        Assert.Equal(token.Kid, line.GetStructuredStateValue("Kid"));
    }

    [Fact]
    public async Task A_request_without_a_token_has_no_token_validate_span()
    {
        var (traceParent, traceId) = ActivityCapture.NewTrace();
        using var http = services.Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.Add("traceparent", traceParent);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // The request span stops after the response is sent, so wait (bounded) until it is there.
        var spans = await Poll.UntilAsync(() => Task.FromResult(_spans.InTrace(traceId) is { Count: > 0 } found ? found : (IReadOnlyList<System.Diagnostics.Activity>?)null));
        Assert.DoesNotContain(spans, activity => activity.OperationName == TokenValidationInstrumentation.Spans.TokenValidate);
    }

    private string TokenFailing(string reason)
    {
        var tokens = services.Tokens;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = tokens.Claims();
        var header = tokens.Header();
        switch (reason)
        {
            case "expired":
                (claims["iat"], claims["nbf"], claims["exp"]) = (now - 1200, now - 1200, now - 600);
                break;
            case "not_yet_valid":
                (claims["nbf"], claims["exp"]) = (now + 600, now + 1200);
                break;
            case "bad_signature":
                return TokenFactory.TamperClaim(tokens.Create(), "scope", "api.read api.admin");
            case "unknown_kid":
                header["kid"] = "no-such-kid";
                break;
            case "wrong_audience":
                claims["aud"] = "some-other-api";
                break;
            case "wrong_issuer":
                claims["iss"] = "http://evil.test";
                break;
            case "wrong_type":
                header["typ"] = "JWT";
                break;
            case "alg_not_allowed":
                header["alg"] = "RS512";
                break;
            case "alg_none":
                header["alg"] = "none";
                return $"{TokenFactory.Encode(header)}.{TokenFactory.Encode(claims)}.";
            case "missing_exp":
                claims.Remove("exp");
                break;
            case "malformed":
                return "not-a-jwt";
            default:
                throw new ArgumentOutOfRangeException(nameof(reason), reason, "No token fails this way.");
        }
        return tokens.Create(header, claims);
    }

    public void Dispose() => _spans.Dispose();
}
