using System.Diagnostics.Metrics;
using System.Net;
using AspireJwks.Api.Endpoints;
using AspireJwks.Authentication.TokenValidation.Telemetry;
using AspireJwks.Protocol;
using AspireJwks.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AspireJwks.Tests.Telemetry;

/// <summary>The <c>token.validate</c> span and the metrics say whether the validated-token cache answered.</summary>
[Collection(InProcessCollection.Name)]
public sealed class ValidationCacheTelemetryTests : IAsyncLifetime
{
    private readonly InProcessServices _services;
    private readonly ActivityCapture _spans = new();
    private WebApplicationFactory<ProtectedResponse> _api = null!;

    public ValidationCacheTelemetryTests(InProcessServices services) => _services = services;

    public Task InitializeAsync()
    {
        _api = _services.CreateApi(validationCacheLifetime: "00:00:30");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _spans.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task The_second_call_with_the_same_token_is_answered_by_the_cache_and_says_so()
    {
        var token = await _services.IssueTokenAsync(ActivityCapture.NewTrace().TraceParent);
        using var validated = new MetricCollector<long>(_api.Services.GetRequiredService<IMeterFactory>(), TokenValidationInstrumentation.MeterName, TokenValidationInstrumentation.Metrics.TokensValidated);

        var first = await CallAsync(token);
        var second = await CallAsync(token);

        Assert.Equal(TokenValidationInstrumentation.ValidationCacheUse.Miss, first.GetTagItem(TelemetryAttributes.ValidationCache));
        Assert.Equal(TokenValidationInstrumentation.ValidationCacheUse.Hit, second.GetTagItem(TelemetryAttributes.ValidationCache));
        Assert.Equal(first.GetTagItem(TelemetryAttributes.Jti), second.GetTagItem(TelemetryAttributes.Jti));
        Assert.Equal(
            [TokenValidationInstrumentation.ValidationCacheUse.Miss, TokenValidationInstrumentation.ValidationCacheUse.Hit],
            validated.GetMeasurementSnapshot().Select(measurement => measurement.Tags[TelemetryAttributes.ValidationCache]));
    }

    [Fact]
    public async Task A_refused_token_is_never_cached_and_is_refused_again_by_a_full_validation()
    {
        var token = TokenFactory.TamperClaim(await _services.IssueTokenAsync(ActivityCapture.NewTrace().TraceParent), "scope", "api.admin");

        var first = await CallAsync(token, HttpStatusCode.Unauthorized);
        var second = await CallAsync(token, HttpStatusCode.Unauthorized);

        Assert.All(new[] { first, second }, span =>
        {
            Assert.Equal("bad_signature", span.GetTagItem(TelemetryAttributes.Reason));
            Assert.Equal(TokenValidationInstrumentation.ValidationCacheUse.Miss, span.GetTagItem(TelemetryAttributes.ValidationCache));
        });
    }

    private async Task<System.Diagnostics.Activity> CallAsync(string token, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (traceParent, traceId) = ActivityCapture.NewTrace();
        using var http = _api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        request.Headers.Add("traceparent", traceParent);
        using var response = await http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return _spans.SingleSpan(traceId, TokenValidationInstrumentation.Spans.TokenValidate);
    }
}
