using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace AspireJwks.Tests.Unit;

/// <summary>
/// The last line of defence every service gets from AddServiceDefaults: an exception that escapes
/// a handler is a bare problem document, never a stack trace, in Development (where the host would
/// otherwise show its developer exception page) as in Production.
/// </summary>
public sealed class UnhandledExceptionTests
{
    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task An_unhandled_exception_is_a_500_problem_without_a_stack_trace(string environment)
    {
        await using var app = await StartAsync(environment);

        using var response = await app.GetTestClient().GetAsync(new Uri("/boom", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":500", body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task A_caller_that_accepts_no_json_gets_an_empty_500(string environment)
    {
        await using var app = await StartAsync(environment);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/boom");
        request.Headers.Accept.ParseAdd("text/plain");

        using var response = await app.GetTestClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    private static async Task<WebApplication> StartAsync(string environment)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapGet("/boom", string () => throw new InvalidOperationException("secret detail of the failure"));
        await app.StartAsync();
        return app;
    }
}
