using AspireJwks.Authentication.TokenValidation;
using AspireJwks.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AspireJwks.Tests.Unit.TokenValidation;

public sealed class TokenValidationEventsTests : IDisposable
{
    private static readonly AuthenticationScheme Bearer = new(JwtBearerDefaults.AuthenticationScheme, null, typeof(JwtBearerHandler));

    private readonly IHost _host;

    public TokenValidationEventsTests()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(ValidationHarness.HostSettings(validationCacheLifetime: TimeSpan.FromSeconds(30)));
        builder.AddTokenValidation();
        _host = builder.Build();
    }

    private JwtBearerEvents Events => (JwtBearerEvents)_host.Services.GetRequiredService(
        _host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).EventsType!);

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task An_unexpected_exception_while_authenticating_is_settled_as_a_failure_not_rethrown()
    {
        // JwtBearer rethrows unless this event sets a result; a rethrow would be a 500.
        var failure = new InvalidOperationException("the key cache broke");
        var context = new AuthenticationFailedContext(HttpContext(null), Bearer, new JwtBearerOptions()) { Exception = failure };

        await Events.AuthenticationFailed(context);

        Assert.NotNull(context.Result);
        Assert.Same(failure, context.Result.Failure);
    }

    [Theory]
    [InlineData("Basic ZTJlOnNlY3JldA==")]
    [InlineData("Digest username=\"a\"")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.c2ln")]
    public async Task Another_scheme_or_a_bare_token_fails_before_validation(string authorization)
    {
        var context = MessageReceived(authorization);

        await Events.MessageReceived(context);

        Assert.NotNull(context.Result?.Failure);
        Assert.Null(context.Token);
    }

    [Fact]
    public async Task Two_authorization_headers_fail_before_validation()
    {
        var context = MessageReceived(null);
        context.Request.Headers.Authorization = new Microsoft.Extensions.Primitives.StringValues(["Bearer a.b.c", "Bearer d.e.f"]);

        await Events.MessageReceived(context);

        Assert.NotNull(context.Result?.Failure);
    }

    [Fact]
    public async Task A_bearer_token_is_handed_to_validation_exactly_as_sent()
    {
        var context = MessageReceived("bearer   x.y.z");

        await Events.MessageReceived(context);

        Assert.Null(context.Result);
        Assert.Equal("x.y.z", context.Token);
    }

    [Fact]
    public async Task No_authorization_header_is_left_to_the_bare_challenge()
    {
        var context = MessageReceived(null);

        await Events.MessageReceived(context);

        Assert.Null(context.Result);
        Assert.Null(context.Token);
    }

    private MessageReceivedContext MessageReceived(string? authorization) => new(HttpContext(authorization), Bearer, new JwtBearerOptions());

    private DefaultHttpContext HttpContext(string? authorization)
    {
        var http = new DefaultHttpContext { RequestServices = _host.Services };
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }
        return http;
    }
}
