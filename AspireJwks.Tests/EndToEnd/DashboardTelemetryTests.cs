using System.Text.Json;
using AspireJwks.Authentication.TokenValidation.Telemetry;
using AspireJwks.Client;
using AspireJwks.Issuer.Telemetry;
using AspireJwks.KeyStore;
using AspireJwks.Protocol;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.EndToEnd;

/// <summary>
/// Reads back, through the dashboard's own telemetry API, what a developer would see in it after
/// one client run. In the AppHost collection so it never starts alongside another test's app.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardTelemetryTests(DashboardAppFixture fixture) : IClassFixture<DashboardAppFixture>
{
    [Fact]
    public async Task Token_issue_from_auth_and_token_validate_from_api_share_the_trace_of_client_run()
    {
        var trace = await fixture.WaitForClientRunTraceAsync();

        var run = Assert.Single(trace, span => span.Name == ClientInstrumentation.Spans.ClientRun);
        Assert.Equal("client", run.Resource);
        Assert.Null(run.ParentSpanId);
        var issue = Assert.Single(trace, span => span.Name == IssuerInstrumentation.Spans.TokenIssue);
        Assert.Equal("auth", issue.Resource);
        var validate = Assert.Single(trace, span => span.Name == TokenValidationInstrumentation.Spans.TokenValidate);
        Assert.Equal("api", validate.Resource);

        // client.run -> HTTP call -> server request -> token span: one chain per service.
        Assert.Equal(run.SpanId, ParentOf(trace, ParentOf(trace, issue)).ParentSpanId);
        Assert.Equal(run.SpanId, ParentOf(trace, ParentOf(trace, validate)).ParentSpanId);

        Assert.Equal(TelemetryOutcomes.Issued, issue.Attribute(TelemetryAttributes.Outcome));
        Assert.Equal(TelemetryOutcomes.Valid, validate.Attribute(TelemetryAttributes.Outcome));
        Assert.False(string.IsNullOrEmpty(issue.Attribute(TelemetryAttributes.Jti)));
        // The same token, followed from issuer to validator.
        foreach (var key in new[] { TelemetryAttributes.Jti, TelemetryAttributes.Kid, TelemetryAttributes.Alg, TelemetryAttributes.ClientId })
        {
            Assert.Equal(issue.Attribute(key), validate.Attribute(key));
        }
    }

    [Fact]
    public async Task The_store_calls_of_the_clients_assertion_and_proofs_are_spans_under_the_requests_that_made_them()
    {
        var run = await fixture.WaitForClientRunTraceAsync();
        // The store's spans end before the request's and may come in a later export batch.
        var trace = await Poll.UntilAsync(async () =>
        {
            using var spans = await fixture.GetTelemetryAsync($"/api/telemetry/spans?traceId={run[0].TraceId}&limit=200");
            var all = OtlpSpan.Parse(spans);
            return all.Count(span => span.Scope == "AspireJwks.Store" && span.Attribute("aspirejwks.store.operation") == "replay") >= 3 ? all : null;
        });
        var replayChecks = trace.Where(span => span.Scope == "AspireJwks.Store" && span.Attribute("aspirejwks.store.operation") == "replay").ToList();

        // At auth the client assertion and the token request's DPoP proof; at the API the call's proof.
        Assert.Equal(2, replayChecks.Count(span => span.Resource == "auth"));
        Assert.Equal(1, replayChecks.Count(span => span.Resource == "api"));
        foreach (var check in replayChecks)
        {
            Assert.Equal("SET", check.Name);
            Assert.Equal("redis", check.Attribute("db.system.name"));
            // Under the service's own request span: POST /token at auth, GET /protected at the API.
            var request = Ancestors(trace, check).First(span => span.Resource == check.Resource && span.Attribute("http.request.method") is not null);
            Assert.Equal(check.Resource == "auth" ? "POST" : "GET", request.Attribute("http.request.method"));
        }
    }

    [Fact]
    public async Task The_issuance_log_line_carries_the_spans_jti_and_kid_and_its_trace()
    {
        var trace = await fixture.WaitForClientRunTraceAsync();
        var issue = Assert.Single(trace, span => span.Name == IssuerInstrumentation.Spans.TokenIssue);

        // Logs and spans are exported in separate batches: the line may land after the span.
        var jti = issue.Attribute(TelemetryAttributes.Jti);
        var lines = await Poll.UntilAsync(async () =>
        {
            using var logs = await fixture.GetTelemetryAsync("/api/telemetry/logs?resource=auth&limit=200");
            return OtlpLogRecord.Parse(logs).Where(record => record.Attributes.GetValueOrDefault("Jti") == jti).ToList() is { Count: > 0 } found ? found : null;
        });

        Assert.Single(lines);
        var record = lines[0];

        Assert.Equal("Information", record.Severity);
        Assert.Equal(issue.TraceId, record.TraceId);
        Assert.Equal(issue.Attribute(TelemetryAttributes.Kid), record.Attributes["Kid"]);
    }

    [Fact]
    public async Task The_bootstrappers_run_is_its_own_trace_naming_the_key_it_generated()
    {
        var kid = KeyStoreReader.Load(new KeyStoreLayout(fixture.KeysDirectory), TimeProvider.System.GetUtcNow()).Keys[0].Kid;

        var generate = await Poll.UntilAsync(async () =>
        {
            using var spans = await fixture.GetTelemetryAsync("/api/telemetry/spans?resource=bootstrapper&limit=50");
            return OtlpSpan.Parse(spans).SingleOrDefault(span => span.Name == KeyStoreInstrumentation.Spans.KeysGenerate);
        });

        Assert.Null(generate.ParentSpanId);
        Assert.Equal(kid, generate.Attribute(TelemetryAttributes.Kid));
        Assert.Equal("RS256", generate.Attribute(TelemetryAttributes.Alg));
        using var logs = await fixture.GetTelemetryAsync("/api/telemetry/logs?resource=bootstrapper&limit=200");
        Assert.Contains(OtlpLogRecord.Parse(logs), record => record.Body.Contains(kid, StringComparison.Ordinal) && record.TraceId == generate.TraceId);
    }

    [Fact]
    public async Task A_browser_logged_in_with_the_token_finds_token_issue_and_token_validate_in_the_client_run_trace()
    {
        var trace = await fixture.WaitForClientRunTraceAsync();
        var traceId = trace[0].TraceId;
        await using var dashboard = await DashboardBrowser.OpenLoggedInAsync(fixture.DashboardAddress, fixture.BrowserToken);
        var page = dashboard.Page;

        await dashboard.GoToAsync("/traces");
        // The traces list names each trace by its root: the client's run.
        // The dashboard navigates in the page (Blazor), so the address changes after the click returns.
        await dashboard.ClickUntilAtAsync(page.GetByText($"client: {ClientInstrumentation.Spans.ClientRun}").First, new System.Text.RegularExpressions.Regex(traceId));
        var issueRow = page.GetByText(IssuerInstrumentation.Spans.TokenIssue, new() { Exact = true });
        var validateRow = page.GetByText(TokenValidationInstrumentation.Spans.TokenValidate, new() { Exact = true });
        await issueRow.First.WaitForAsync(new() { Timeout = 30_000 });
        await validateRow.First.WaitForAsync(new() { Timeout = 30_000 });
        // Opening the span shows its attributes: the token's jti, as the API also reported it.
        await validateRow.First.ClickAsync();
        var jti = trace.Single(span => span.Name == TokenValidationInstrumentation.Spans.TokenValidate).Attribute(TelemetryAttributes.Jti)!;
        await page.GetByText(jti).First.WaitForAsync(new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = DashboardBrowser.ScreenshotPath("dashboard-trace.png") });
    }

    [Theory]
    [InlineData("auth", IssuerInstrumentation.Metrics.TokensIssued)]
    [InlineData("api", TokenValidationInstrumentation.Metrics.TokensValidated)]
    public async Task The_metrics_view_of_each_service_lists_its_token_counter(string resource, string instrument)
    {
        await fixture.WaitForClientRunTraceAsync();
        await using var dashboard = await DashboardBrowser.OpenLoggedInAsync(fixture.DashboardAddress, fixture.BrowserToken);
        var page = dashboard.Page;

        await dashboard.GoToAsync($"/metrics/resource/{resource}");

        await page.GetByText(instrument, new() { Exact = true }).First.WaitForAsync(new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = DashboardBrowser.ScreenshotPath($"dashboard-metrics-{resource}.png") });
    }

    [Fact]
    public async Task Nothing_the_dashboard_received_holds_a_token_the_client_secret_or_a_private_key()
    {
        await fixture.WaitForClientRunTraceAsync();
        var received = new List<string>();
        foreach (var resource in new[] { "bootstrapper", "auth", "api", "client" })
        {
            foreach (var signal in new[] { "spans", "logs" })
            {
                using var document = await fixture.GetTelemetryAsync($"/api/telemetry/{signal}?resource={resource}&limit=1000");
                received.Add(document?.RootElement.GetRawText() ?? "");
            }
        }
        var all = string.Join('\n', received);

        Assert.Contains(IssuerInstrumentation.Spans.TokenIssue, all, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.ClientSecret, all, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", all, StringComparison.Ordinal);
        // Every JWT starts with a base64url JSON header, "eyJ" ("{\"").
        Assert.DoesNotMatch(@"eyJ[A-Za-z0-9_-]{10,}\.eyJ", all);
    }

    private static IEnumerable<OtlpSpan> Ancestors(IReadOnlyList<OtlpSpan> trace, OtlpSpan span)
    {
        for (var parent = trace.SingleOrDefault(candidate => candidate.SpanId == span.ParentSpanId); parent is not null;
             parent = trace.SingleOrDefault(candidate => candidate.SpanId == parent.ParentSpanId))
        {
            yield return parent;
        }
    }

    private static OtlpSpan ParentOf(IReadOnlyList<OtlpSpan> trace, OtlpSpan span) =>
        Assert.Single(trace, candidate => candidate.SpanId == span.ParentSpanId);
}
