using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using AspireJwks.Api.Endpoints;
using AspireJwks.Authentication.TokenValidation.Telemetry;
using AspireJwks.Protocol;
using AspireJwks.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;

namespace AspireJwks.Tests.Telemetry;

/// <summary>
/// Attacker text stays out of logs and spans, and a flood of bad tokens cannot flood the log:
/// rejection lines are rate-limited, the lines left out are counted, every rejection is metered.
/// Each test has an API of its own, so the log limit it spends is not another test's.
/// </summary>
[Collection(InProcessCollection.Name)]
public sealed class RejectionLoggingTests(InProcessServices services) : IDisposable
{
    private readonly ActivityCapture _spans = new();

    public static TheoryData<string, string> HostileClaims => new()
    {
        { "kid", "key\n2026-12-01 INFO Accepted token admin" },
        { "kid", "\u001b[31mred\u001b[0m" },
        { "kid", new string('k', 300) },
        { "jti", "id\r\nforged log line" },
        { "jti", "<script>alert(1)</script>" },
        { "client_id", "admin\u0000" },
        { "client_id", "ünïcödé-client" },
    };

    [Theory]
    [MemberData(nameof(HostileClaims))]
    public async Task A_refused_tokens_claimed_values_reach_logs_and_spans_only_in_the_issuers_shape(string member, string value)
    {
        await using var api = services.CreateApi("00:00:00");
        var tokens = services.Tokens;
        var header = tokens.Header();
        var claims = tokens.Claims();
        (member == "kid" ? header : claims)[member] = value;
        // Signed by a key the JWKS does not hold: refused, so every value in it is the attacker's.
        var forged = ForgedTokens.SignedWith(header, claims);
        var (traceParent, traceId) = ActivityCapture.NewTrace();

        using var response = await CallAsync(api, forged, traceParent);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var span = _spans.SingleSpan(traceId, TokenValidationInstrumentation.Spans.TokenValidate);
        var attribute = member switch { "kid" => TelemetryAttributes.Kid, "jti" => TelemetryAttributes.Jti, _ => TelemetryAttributes.ClientId };
        Assert.Equal("-", span.GetTagItem(attribute));
        var line = Assert.Single(api.Services.GetFakeLogCollector().GetSnapshot(), record => record.Id.Id == 2001);
        Assert.DoesNotContain(value, line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(line.Message, character => char.IsControl(character));
    }

    [Fact]
    public async Task A_flood_of_bad_tokens_writes_a_bounded_number_of_lines_and_counts_the_rest()
    {
        const int Rejections = 400;
        await using var api = services.CreateApi("00:00:00");
        var meters = api.Services.GetRequiredService<IMeterFactory>();
        using var validated = new MetricCollector<long>(meters, TokenValidationInstrumentation.MeterName, TokenValidationInstrumentation.Metrics.TokensValidated);
        using var suppressed = new MetricCollector<long>(meters, TokenValidationInstrumentation.MeterName, TokenValidationInstrumentation.Metrics.RejectionLinesSuppressed);
        var started = TimeProvider.System.GetTimestamp();

        await Parallel.ForAsync(0, Rejections, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            using var response = await CallAsync(api, $"not-a-token-{i}", ActivityCapture.NewTrace().TraceParent);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        });

        var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
        var lines = api.Services.GetFakeLogCollector().GetSnapshot().Count(record => record.Id.Id == 2001);
        // The bucket's burst plus what it refills while the flood lasts.
        Assert.InRange(lines, 1, 20 + (20 * (int)Math.Ceiling(seconds)));
        Assert.Equal(Rejections, lines + suppressed.GetMeasurementSnapshot().Sum(measurement => measurement.Value));
        Assert.Equal(Rejections, validated.GetMeasurementSnapshot().Sum(measurement => measurement.Value));
    }

    private static async Task<HttpResponseMessage> CallAsync(WebApplicationFactory<ProtectedResponse> api, string token, string traceParent)
    {
        using var http = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        request.Headers.Add("traceparent", traceParent);
        return await http.SendAsync(request);
    }

    public void Dispose() => _spans.Dispose();
}
