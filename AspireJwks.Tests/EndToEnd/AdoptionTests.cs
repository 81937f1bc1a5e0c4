using System.Net;
using System.Text.Json;
using AspireJwks.Tests.Hostile;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.EndToEnd;

/// <summary>
/// A team's own API and worker, joined to the AppHost with the documented two lines each, work
/// first time and get exactly the demo's strictness and token handling: each client's tokens work
/// where they should and nowhere else, and tokens are shared, reused and renewed by the handler.
/// </summary>
// In the AppHost collection, so its six services never start while another AppHost's timing tests
// run (a rotation's 3 s publication bound, measured on the same two cores).
[Collection(AppHostCollection.Name)]
public sealed class AdoptionTests(AdoptionFixture fixture) : IClassFixture<AdoptionFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_worker_reads_orders_through_its_token_handler_first_time()
    {
        await Eventually.TrueAsync(() => Reports().Count >= 3, Within, "the reports worker should report three bursts");

        Assert.All(Reports(), report => Assert.Contains("Report: 10 of 10 order reads answered 200", report, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_clients_tokens_work_on_their_own_api_and_are_refused_everywhere_else()
    {
        var reporter = await fixture.TokenAsync(AdoptionFixture.ReporterId, fixture.ReporterSecret);
        var demo = await fixture.TokenAsync(AppHostFixture.ClientId, fixture.ClientSecret);

        using var ordersRead = await AdoptionFixture.SendAsync(fixture.Orders, HttpMethod.Get, "/orders", reporter);
        Assert.Equal(HttpStatusCode.OK, ordersRead.StatusCode);
        Assert.Contains($"\"readBy\":\"{AdoptionFixture.ReporterId}\"", await ordersRead.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another API's audience: refused as an invalid token, both ways.
        using var reporterOnDemo = await AdoptionFixture.SendAsync(fixture.Api, HttpMethod.Get, "/protected", reporter);
        await HostileAssert.InvalidTokenAsync(reporterOnDemo);
        using var demoOnOrders = await AdoptionFixture.SendAsync(fixture.Orders, HttpMethod.Get, "/orders", demo);
        await HostileAssert.InvalidTokenAsync(demoOnOrders);

        // The right API, but a scope the token does not carry: forbidden, naming the scope needed.
        using var ordersWrite = await AdoptionFixture.SendAsync(fixture.Orders, HttpMethod.Post, "/orders", reporter);
        Assert.Equal(HttpStatusCode.Forbidden, ordersWrite.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders.write\"", ordersWrite.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_api_without_a_launch_profile_is_reached_by_the_worker_that_references_it()
    {
        await Eventually.TrueAsync(() => ClerkLines().Any(IsInvoicesReadByClerk), Within, "the clerk should read invoices with its token");

        // Without an endpoint of its own the clerk would have had no address for it at all.
        Assert.DoesNotContain(ClerkLines(), line => line.Contains("Name or service not known", StringComparison.Ordinal));
        var clerk = await fixture.TokenAsync(AdoptionFixture.ClerkId, fixture.ClerkSecret);
        using var invoices = await AdoptionFixture.SendAsync(fixture.Invoices, HttpMethod.Get, "/invoices", clerk);
        Assert.Equal(HttpStatusCode.OK, invoices.StatusCode);
        using var anonymous = await fixture.Invoices.GetAsync(new Uri("/invoices", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("orders.write")]
    [InlineData("api.read")]
    [InlineData("orders.read orders.write")]
    public async Task A_client_asking_for_a_scope_it_was_not_given_gets_invalid_scope(string scope)
    {
        using var response = await fixture.RequestTokenAsync(AdoptionFixture.ReporterId, fixture.ReporterSecret, scope);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_scope", body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_handler_shares_one_token_among_concurrent_calls_and_renews_it_before_it_expires()
    {
        // Ten concurrent reads a second for long enough to outlive several 6-second tokens.
        await Eventually.TrueAsync(() => Reports().Count >= 16, Within, "the reports worker should report for 16 seconds");

        var fetched = TokensFetched(AdoptionFixture.ReporterId);
        var calls = Reports().Count * 10;
        // The first burst of ten concurrent calls waited for one token, not ten.
        Assert.True(fetched.Count >= 2, $"tokens fetched: {fetched.Count}; each lives {AdoptionFixture.TokenLifetime}");
        Assert.True(fetched.Count <= (calls / 10 / 3) + 1, $"{fetched.Count} tokens for {calls} calls: tokens are not reused");
        Assert.Equal(fetched.Count, fetched.Distinct().Count());
        Assert.All(Reports(), report => Assert.Contains("10 of 10", report, StringComparison.Ordinal));

        // The demo client, run every second, reuses its token across runs and renews it too.
        var demoTokens = TokensFetched("client");
        var demoRuns = fixture.Logs.LinesOf("client").Count(line => line.Contains("API Response:", StringComparison.Ordinal));
        Assert.InRange(demoTokens.Count, 2, demoRuns - 1);
    }

    private List<string> ClerkLines() => [.. fixture.Logs.LinesOf(AdoptionFixture.ClerkId)];

    private static bool IsInvoicesReadByClerk(string line) =>
        line.Contains("Invoices: 200", StringComparison.Ordinal)
        && line.Contains($"\"readBy\":\"{AdoptionFixture.ClerkId}\"", StringComparison.Ordinal);

    private List<string> Reports() =>
        [.. fixture.Logs.LinesOf(AdoptionFixture.ReporterId).Where(line => line.Contains("Report:", StringComparison.Ordinal))];

    /// <summary>The handler's line for each token it fetched (its jti makes each distinct).</summary>
    private List<string> TokensFetched(string resource) =>
        [.. fixture.Logs.LinesOf(resource)
            .Where(line => line.Contains("Got an access token", StringComparison.Ordinal))
            .Select(line => line[line.IndexOf("jti", StringComparison.Ordinal)..])];
}
