using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using AspireJwks.Issuer.Telemetry;
using AspireJwks.Protocol;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AspireJwks.Tests.Telemetry;

[Collection(InProcessCollection.Name)]
public sealed class IssuanceTelemetryTests(InProcessServices services) : IDisposable
{
    private readonly ActivityCapture _spans = new();

    private IMeterFactory Meters => services.Auth.Services.GetRequiredService<IMeterFactory>();

    [Fact]
    public async Task An_issued_token_has_a_token_issue_span_naming_client_key_algorithm_and_jti()
    {
        var (traceParent, traceId) = ActivityCapture.NewTrace();

        var token = new JsonWebToken(await services.IssueTokenAsync(traceParent));

        var span = _spans.SingleSpan(traceId, IssuerInstrumentation.Spans.TokenIssue);
        Assert.Equal(IssuerInstrumentation.SourceName, span.Source.Name);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal(InProcessServices.ClientId, span.GetTagItem(TelemetryAttributes.ClientId));
        Assert.Equal(token.Kid, span.GetTagItem(TelemetryAttributes.Kid));
        Assert.Equal("RS256", span.GetTagItem(TelemetryAttributes.Alg));
        Assert.Equal(token.Id, span.GetTagItem(TelemetryAttributes.Jti));
        Assert.Equal("api.read", span.GetTagItem(TelemetryAttributes.Scope));
        Assert.Equal(TelemetryOutcomes.Issued, span.GetTagItem(TelemetryAttributes.Outcome));
        Assert.Null(span.GetTagItem(TelemetryAttributes.Reason));
    }

    [Fact]
    public async Task An_issued_token_is_counted_by_client_and_algorithm_and_timed()
    {
        using var issued = new MetricCollector<long>(Meters, IssuerInstrumentation.MeterName, IssuerInstrumentation.Metrics.TokensIssued);
        using var duration = new MetricCollector<double>(Meters, IssuerInstrumentation.MeterName, IssuerInstrumentation.Metrics.IssueDuration);

        await services.IssueTokenAsync(ActivityCapture.NewTrace().TraceParent);

        var count = Assert.Single(issued.GetMeasurementSnapshot());
        Assert.Equal(1, count.Value);
        Assert.Equal(InProcessServices.ClientId, count.Tags[TelemetryAttributes.ClientId]);
        Assert.Equal("RS256", count.Tags[TelemetryAttributes.Alg]);
        var time = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.True(time.Value > 0);
        Assert.Equal(TelemetryOutcomes.Issued, time.Tags[TelemetryAttributes.Outcome]);
    }

    [Fact]
    public async Task An_issued_token_logs_one_information_line_with_the_spans_jti_and_kid()
    {
        var logs = services.Auth.Services.GetFakeLogCollector();

        var token = new JsonWebToken(await services.IssueTokenAsync(ActivityCapture.NewTrace().TraceParent));

        var line = Assert.Single(logs.GetSnapshot(), record => record.GetStructuredStateValue("Jti") == token.Id);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(token.Kid, line.GetStructuredStateValue("Kid"));
        Assert.Contains(token.Id, line.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-secret", "api.read", "client_credentials", HttpStatusCode.Unauthorized, "invalid_client")]
    [InlineData(null, "api.admin", "client_credentials", HttpStatusCode.BadRequest, "invalid_scope")]
    [InlineData(null, "api.read", "password", HttpStatusCode.BadRequest, "unsupported_grant_type")]
    public async Task A_refused_token_request_has_an_error_span_a_reason_a_timing_and_an_information_line(
        string? secret, string scope, string grantType, HttpStatusCode status, string reason)
    {
        using var duration = new MetricCollector<double>(Meters, IssuerInstrumentation.MeterName, IssuerInstrumentation.Metrics.IssueDuration);
        using var issued = new MetricCollector<long>(Meters, IssuerInstrumentation.MeterName, IssuerInstrumentation.Metrics.TokensIssued);
        var logs = services.Auth.Services.GetFakeLogCollector();
        logs.Clear();
        var (traceParent, traceId) = ActivityCapture.NewTrace();

        using var response = await services.RequestTokenAsync(traceParent, secret is null ? null : secret + Guid.NewGuid(), scope, grantType);

        Assert.Equal(status, response.StatusCode);
        var span = _spans.SingleSpan(traceId, IssuerInstrumentation.Spans.TokenIssue);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(TelemetryOutcomes.Rejected, span.GetTagItem(TelemetryAttributes.Outcome));
        Assert.Equal(reason, span.GetTagItem(TelemetryAttributes.Reason));
        Assert.Null(span.GetTagItem(TelemetryAttributes.Jti));

        Assert.Empty(issued.GetMeasurementSnapshot());
        var time = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal(TelemetryOutcomes.Rejected, time.Tags[TelemetryAttributes.Outcome]);
        Assert.Equal(reason, time.Tags[TelemetryAttributes.Reason]);

        var line = Assert.Single(logs.GetSnapshot(), record => record.Id.Id == 1002);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(reason, line.GetStructuredStateValue("Reason"));
        // The test server's own warning (it has no request size limit feature) is not ours to judge.
        Assert.DoesNotContain(logs.GetSnapshot(), record => record.Level >= LogLevel.Warning && (record.Category ?? "").StartsWith("AspireJwks", StringComparison.Ordinal));
    }

    public void Dispose() => _spans.Dispose();
}
