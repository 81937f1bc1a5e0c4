using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Hosting;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Unit.AppHost;

/// <summary>
/// A team's own client, published: its secret, digest and keys are parameters the operator fills,
/// and auth's environment refers to the digest and the public keys, never to a value.
/// </summary>
public sealed class PublishedRegistrationTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly IDistributedApplicationBuilder _builder;
    private readonly IResourceBuilder<ProjectResource> _auth;
    private readonly IReadOnlyList<EnvironmentCallbackAnnotation> _callbacksBefore;

    public PublishedRegistrationTests()
    {
        _builder = DistributedApplication.CreateBuilder(["--publisher", "manifest", "--output-path", _directory.Combine("aspire-manifest.json")]);
        _auth = _builder.AddProject<Projects.AspireJwks_Auth>("auth");
        _callbacksBefore = [.. _auth.Resource.Annotations.OfType<EnvironmentCallbackAnnotation>()];
        TokenIssuerRegistry.RegisterApi(_auth, "orders-api", ["orders.read"]);
    }

    [Fact]
    public async Task A_client_publishes_its_secret_its_digest_and_its_keys_as_parameters_and_auth_refers_to_digest_and_public_keys()
    {
        _builder.AddProject<Projects.AspireJwks_Client>("reporter").WithClientCredentials(_auth, "reporter", "orders.read");

        var environment = await AuthEnvironmentAsync();

        Assert.True(Parameter("reporter-secret").Secret);
        Assert.Null(Parameter("reporter-secret").Default);
        Assert.True(Parameter("reporter-secret-sha256").Secret);
        Assert.True(Parameter("reporter-key").Secret);
        Assert.Null(Parameter("reporter-key").Default);
        Assert.False(Parameter("reporter-jwks").Secret);
        Assert.Same(Parameter("reporter-secret-sha256"), environment["Auth__Clients__0__SecretSha256"]);
        Assert.Same(Parameter("reporter-jwks"), environment["Auth__Clients__0__Jwks"]);
        Assert.Equal("reporter", environment["Auth__Clients__0__ClientId"]);
    }

    [Fact]
    public void A_client_id_too_long_to_name_its_digest_parameter_is_refused_naming_the_parameter()
    {
        var clientId = "r" + new string('x', 50);
        var client = _builder.AddProject<Projects.AspireJwks_Client>("reporter");

        var error = Assert.Throws<InvalidOperationException>(() => client.WithClientCredentials(_auth, clientId, "orders.read"));

        Assert.Contains($"the parameter '{clientId}-secret-sha256'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_id_of_50_characters_names_its_digest_parameter()
    {
        var clientId = "r" + new string('x', 49);

        _builder.AddProject<Projects.AspireJwks_Client>("reporter").WithClientCredentials(_auth, clientId, "orders.read");

        Assert.Contains(_builder.Resources, resource => resource.Name == $"{clientId}-secret-sha256");
    }

    private ParameterResource Parameter(string name) => _builder.Resources.OfType<ParameterResource>().Single(parameter => parameter.Name == name);

    /// <summary>What the registry's callback writes into auth's environment when the manifest is written.</summary>
    private async Task<Dictionary<string, object>> AuthEnvironmentAsync()
    {
        var context = new EnvironmentCallbackContext(_builder.ExecutionContext, _auth.Resource);
        foreach (var callback in _auth.Resource.Annotations.OfType<EnvironmentCallbackAnnotation>().Except(_callbacksBefore))
        {
            await callback.Callback(context);
        }
        return context.EnvironmentVariables;
    }

    public void Dispose() => _directory.Dispose();
}
