using AspireJwks.Api.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AspireJwks.Tests.Unit;

public sealed class StrictBearerEventsTests
{
    private static readonly AuthenticationScheme Bearer = new(JwtBearerDefaults.AuthenticationScheme, null, typeof(JwtBearerHandler));

    [Fact]
    public async Task An_unexpected_exception_while_authenticating_is_settled_as_a_failure_not_rethrown()
    {
        // JwtBearer rethrows unless this event sets a result; a rethrow would be a 500.
        var failure = new InvalidOperationException("the key cache broke");
        var context = new AuthenticationFailedContext(new DefaultHttpContext(), Bearer, new JwtBearerOptions()) { Exception = failure };

        await StrictBearerEvents.AuthenticationFailed(context);

        Assert.NotNull(context.Result);
        Assert.Same(failure, context.Result.Failure);
    }

    [Theory]
    [InlineData("Basic ZTJlOnNlY3JldA==")]
    [InlineData("Bearer")]
    [InlineData("Bearer not.a.jwt")]
    [InlineData("Bearer a.b.c.d.e")]
    public async Task A_misused_or_malformed_authorization_header_fails_before_validation(string authorization)
    {
        var context = MessageReceived(authorization);

        await StrictBearerEvents.MessageReceived(context);

        Assert.NotNull(context.Result?.Failure);
        Assert.Null(context.Token);
    }

    [Fact]
    public async Task No_authorization_header_is_left_to_the_bare_challenge()
    {
        var context = MessageReceived(null);

        await StrictBearerEvents.MessageReceived(context);

        Assert.Null(context.Result);
    }

    private static MessageReceivedContext MessageReceived(string? authorization)
    {
        var services = new ServiceCollection()
            .AddSingleton(Options.Create(new TokenValidationOptions { Issuer = "http://localhost", Audience = "api" }))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<StrictTokenChecks>()
            .BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }
        return new MessageReceivedContext(http, Bearer, new JwtBearerOptions());
    }
}
