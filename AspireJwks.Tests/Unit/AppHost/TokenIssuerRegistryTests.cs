using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Hosting;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Unit.AppHost;

/// <summary>
/// The AppHost side of Auth's registries: what a registration writes into auth's environment
/// (the secret only as its digest), when it is read, and which registrations are refused.
/// </summary>
public sealed class TokenIssuerRegistryTests
{
    private const string Secret = "reporter-secret-of-enough-length";

    private readonly IDistributedApplicationBuilder _builder = DistributedApplication.CreateBuilder();
    private readonly IResourceBuilder<ProjectResource> _auth;
    private readonly IReadOnlyList<EnvironmentCallbackAnnotation> _callbacksBefore;

    public TokenIssuerRegistryTests()
    {
        _auth = _builder.AddProject<Projects.AspireJwks_Auth>("auth");
        _callbacksBefore = [.. _auth.Resource.Annotations.OfType<EnvironmentCallbackAnnotation>()];
    }

    [Fact]
    public async Task Apis_and_clients_become_auth_settings_with_the_secret_only_as_its_digest()
    {
        TokenIssuerRegistry.RegisterApi(_auth, "orders-api", ["orders.read", "orders.write"]);
        TokenIssuerRegistry.RegisterApi(_auth, "reports-api", ["reports.read"]);
        var (clientId, clientSecret) = ClientParameters("reporter", Secret);
        TokenIssuerRegistry.RegisterClient(_auth, clientId, clientSecret, ["orders.read", "reports.read"]);

        var environment = await AuthEnvironmentAsync();

        Assert.Equal(new Dictionary<string, object>
        {
            ["Auth__Apis__0__Audience"] = "orders-api",
            ["Auth__Apis__0__Scopes__0"] = "orders.read",
            ["Auth__Apis__0__Scopes__1"] = "orders.write",
            ["Auth__Apis__1__Audience"] = "reports-api",
            ["Auth__Apis__1__Scopes__0"] = "reports.read",
            ["Auth__Clients__0__ClientId"] = clientId.Resource,
            ["Auth__Clients__0__SecretSha256"] = SecretDigest.Of(Secret),
            ["Auth__Clients__0__Scopes__0"] = "orders.read",
            ["Auth__Clients__0__Scopes__1"] = "reports.read",
        }, environment);
        Assert.DoesNotContain(environment.Values, value => value.ToString()!.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Registrations_made_after_the_first_are_read_when_auth_starts_through_one_callback()
    {
        TokenIssuerRegistry.RegisterApi(_auth, "orders-api", ["orders.read"]);
        var before = await AuthEnvironmentAsync();

        var (clientId, clientSecret) = ClientParameters("late-client", Secret);
        TokenIssuerRegistry.RegisterApi(_auth, "late-api", ["late.read"]);
        TokenIssuerRegistry.RegisterClient(_auth, clientId, clientSecret, ["late.read"]);
        var after = await AuthEnvironmentAsync();

        Assert.DoesNotContain("Auth__Apis__1__Audience", before.Keys);
        Assert.Equal("late-api", after["Auth__Apis__1__Audience"]);
        Assert.Same(clientId.Resource, after["Auth__Clients__0__ClientId"]);
        Assert.Single(NewCallbacks());
    }

    [Fact]
    public void An_audience_registered_twice_is_refused_naming_it()
    {
        TokenIssuerRegistry.RegisterApi(_auth, "orders-api", ["orders.read"]);

        var error = Assert.Throws<InvalidOperationException>(() => TokenIssuerRegistry.RegisterApi(_auth, "orders-api", ["orders.write"]));

        Assert.Contains("'orders-api' is already registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scope_of_another_api_is_refused_naming_the_scope_and_both_apis()
    {
        TokenIssuerRegistry.RegisterApi(_auth, "orders-api", ["orders.read"]);

        var error = Assert.Throws<InvalidOperationException>(() => TokenIssuerRegistry.RegisterApi(_auth, "reports-api", ["reports.read", "orders.read"]));

        Assert.Contains("The scope 'orders.read' of the API 'reports-api' is already owned by the API 'orders-api'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_id_registered_twice_is_refused_naming_it()
    {
        var (clientId, clientSecret) = ClientParameters("reporter", Secret);
        TokenIssuerRegistry.RegisterClient(_auth, clientId, clientSecret, ["orders.read"]);

        var error = Assert.Throws<InvalidOperationException>(() => TokenIssuerRegistry.RegisterClient(_auth, clientId, clientSecret, ["reports.read"]));

        Assert.Contains("'reporter-id' is already registered", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "needs at least one scope")]
    [InlineData(new[] { "orders read" }, "not an RFC 6749 scope token")]
    [InlineData(new[] { "orders.read", "orders.read" }, "lists the scope 'orders.read' twice")]
    public void Bad_scope_lists_are_refused(string[] scopes, string message)
    {
        var (clientId, clientSecret) = ClientParameters("reporter", Secret);

        Assert.Contains(message, Assert.Throws<ArgumentException>(() => TokenIssuerRegistry.RegisterApi(_auth, "orders-api", scopes)).Message, StringComparison.Ordinal);
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => TokenIssuerRegistry.RegisterClient(_auth, clientId, clientSecret, scopes)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("orders api")]
    public void A_malformed_audience_is_refused(string audience)
    {
        Assert.Throws<ArgumentException>(() => TokenIssuerRegistry.RegisterApi(_auth, audience, ["orders.read"]));
    }

    [Fact]
    public void A_client_secret_that_is_not_a_secret_parameter_is_refused()
    {
        var clientId = _builder.AddParameter("reporter-id", "reporter");
        var visible = _builder.AddParameter("reporter-secret", Secret, secret: false);

        var error = Assert.Throws<ArgumentException>(() => TokenIssuerRegistry.RegisterClient(_auth, clientId, visible, ["orders.read"]));

        Assert.Contains("'reporter-secret' must be a secret parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_secret_shorter_than_16_characters_stops_auth_naming_the_parameter()
    {
        TokenIssuerRegistry.RegisterApi(_auth, "orders-api", ["orders.read"]);
        var (clientId, clientSecret) = ClientParameters("reporter", "fifteen-chars!!");
        TokenIssuerRegistry.RegisterClient(_auth, clientId, clientSecret, ["orders.read"]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(AuthEnvironmentAsync);

        Assert.Contains("Parameter 'reporter-secret' must be at least 16 characters", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("orders_reporter")]
    [InlineData("reporter.v2")]
    [InlineData("reporter-")]
    [InlineData("2nd-reporter")]
    [InlineData("a-client-id-of-fifty-eight-characters-which-is-one-too-man")]
    public void A_client_id_that_cannot_name_its_secret_parameter_is_refused_naming_the_client_id(string clientId)
    {
        var client = _builder.AddProject<Projects.AspireJwks_Client>("client");

        var error = Assert.Throws<ArgumentException>(() => client.WithClientCredentials(_auth, clientId, "orders.read"));

        Assert.Equal("clientId", error.ParamName);
        Assert.Contains($"The client id '{clientId}' names the parameter '{clientId}-secret'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_id_of_57_characters_names_its_secret_parameter()
    {
        var clientId = "r" + new string('x', 56);

        _builder.AddProject<Projects.AspireJwks_Client>("client").WithClientCredentials(_auth, clientId, "orders.read");

        Assert.Contains(_builder.Resources, resource => resource.Name == $"{clientId}-secret");
    }

    private (IResourceBuilder<ParameterResource> Id, IResourceBuilder<ParameterResource> Secret) ClientParameters(string clientId, string secret) =>
        (_builder.AddParameter($"{clientId}-id", clientId), _builder.AddParameter($"{clientId}-secret", secret, secret: true));

    private List<EnvironmentCallbackAnnotation> NewCallbacks() =>
        [.. _auth.Resource.Annotations.OfType<EnvironmentCallbackAnnotation>().Except(_callbacksBefore)];

    /// <summary>What the registry's callbacks write when auth starts.</summary>
    private async Task<Dictionary<string, object>> AuthEnvironmentAsync()
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), _auth.Resource);
        foreach (var callback in NewCallbacks())
        {
            await callback.Callback(context);
        }
        return context.EnvironmentVariables;
    }
}
