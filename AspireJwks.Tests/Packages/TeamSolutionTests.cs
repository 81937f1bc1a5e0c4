using AspireJwks.Protocol;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Packages;

/// <summary>
/// A team adopts AspireJwks with package references only: its own AppHost, its own ServiceDefaults
/// (the Aspire template's), a key store console, an issuer web project, two APIs and a worker,
/// written against the names the README gives, built from the packed packages. Its worker gets a
/// DPoP-bound token by <c>private_key_jwt</c>, its API accepts it and refuses a token for the other
/// API, and the dashboard shows the spans of the team's own resources.
/// </summary>
// In the AppHost collection: packing, building and running seven projects must not share the two
// cores with another AppHost's timing tests.
[Collection(AppHostCollection.Name)]
public sealed class TeamSolutionTests(TeamSolutionFixture team) : IClassFixture<TeamSolutionFixture>
{
    [Fact]
    public void The_packages_pack_and_the_teams_solution_builds_without_a_warning()
    {
        Assert.True(team.Pack.ExitCode == 0, team.Pack.Output);
        Assert.DoesNotContain(": warning ", team.Pack.Output, StringComparison.Ordinal);
        Assert.True(team.Build.ExitCode == 0, team.Build.Output);
        Assert.Contains("0 Warning(s)", team.Build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_store_project_makes_the_signing_key()
    {
        var generated = await SpanAsync(span => span is { Resource: "keys", Name: "keys.generate" });

        Assert.Equal("AspireJwks.KeyStore", generated.Scope);
    }

    [Fact]
    public async Task The_worker_gets_a_dpop_bound_token_from_the_teams_issuer_by_private_key_jwt()
    {
        var issued = await SpanAsync(span => span is { Resource: "auth", Name: "token.issue" }
            && span.Attribute(TelemetryAttributes.ClientId) == "reporter"
            && span.Attribute(TelemetryAttributes.Outcome) == TelemetryOutcomes.Issued);

        Assert.Equal("AspireJwks.Issuer", issued.Scope);
        Assert.Equal(ClientAuthenticationMethods.PrivateKeyJwt, issued.Attribute(TelemetryAttributes.ClientAuthMethod));
        Assert.Equal("DPoP", issued.Attribute(TelemetryAttributes.TokenType));
    }

    [Fact]
    public async Task The_teams_api_answers_the_workers_dpop_request()
    {
        var validated = await SpanAsync(span => span is { Resource: "orders", Name: "token.validate" }
            && span.Attribute(TelemetryAttributes.Outcome) == TelemetryOutcomes.Valid);

        Assert.Equal("AspireJwks.TokenValidation", validated.Scope);
        Assert.Equal("DPoP", validated.Attribute(TelemetryAttributes.TokenType));
        await ReporterLineAsync("orders: GET /orders answered 200");
    }

    [Fact]
    public async Task The_teams_api_refuses_a_token_for_the_other_api()
    {
        var refused = await SpanAsync(span => span is { Resource: "orders", Name: "token.validate" }
            && span.Attribute(TelemetryAttributes.Reason) == "wrong_audience");

        Assert.Equal(TelemetryOutcomes.Invalid, refused.Attribute(TelemetryAttributes.Outcome));
        await ReporterLineAsync("orders-with-a-billing-token: GET /orders answered 401");
    }

    private async Task<OtlpSpan> SpanAsync(Func<OtlpSpan, bool> match)
    {
        var telemetry = Telemetry();
        return await Poll.UntilAsync(async () =>
        {
            using var document = await TestDashboard.GetAsync(telemetry, "/api/telemetry/spans?limit=10000");
            return OtlpSpan.Parse(document).FirstOrDefault(match);
        });
    }

    private async Task ReporterLineAsync(string line)
    {
        var telemetry = Telemetry();
        await Poll.UntilAsync(async () =>
        {
            using var document = await TestDashboard.GetAsync(telemetry, "/api/telemetry/logs?resource=reporter&limit=10000");
            return OtlpLogRecord.Parse(document).FirstOrDefault(record => record.Body == line);
        });
    }

    private HttpClient Telemetry()
    {
        Assert.True(team.Build.ExitCode == 0, $"The team's solution did not build:\n{team.Pack.Output}\n{team.Build.Output}");
        return team.Telemetry ?? throw new InvalidOperationException($"The team's AppHost did not start:\n{team.AppHostOutput}");
    }
}
