using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Hosting;

namespace AspireJwks.Tests.Unit.AppHost;

/// <summary>
/// An API gets an http endpoint from WithTokenValidation only when it has none of its own (no launch
/// profile), so its callers always get an address and a service with a launch profile keeps its own.
/// </summary>
public sealed class ServiceEndpointTests
{
    private readonly IDistributedApplicationBuilder _builder = DistributedApplication.CreateBuilder();

    [Fact]
    public async Task A_project_without_a_launch_profile_gets_an_http_endpoint_on_a_port_the_orchestrator_picks_and_is_told_to_listen_on_it()
    {
        var invoices = _builder.AddProject("invoices", Adopter("InvoicesApi"));
        Assert.Empty(Endpoints(invoices));

        invoices.WithHttpEndpointIfItHasNone();

        var endpoint = Assert.Single(Endpoints(invoices));
        Assert.Equal(("http", "http", null), (endpoint.Name, endpoint.UriScheme, endpoint.Port));
        // Aspire tells the service where to listen from its endpoints; the port is the endpoint's own.
        var urls = Assert.IsType<ReferenceExpression>(await EnvironmentAsync(invoices, "ASPNETCORE_URLS"));
        Assert.Contains(urls.ValueProviders.OfType<EndpointReferenceExpression>(),
            value => value.Endpoint.EndpointName == "http" && value.Property == EndpointProperty.TargetPort);
    }

    [Fact]
    public void A_project_with_a_launch_profile_keeps_exactly_its_endpoints()
    {
        var orders = _builder.AddProject("orders", Adopter("OrdersApi"));
        var before = Endpoints(orders);

        orders.WithHttpEndpointIfItHasNone();

        Assert.Equal(before, Endpoints(orders));
        var endpoint = Assert.Single(before);
        // The launch profile's applicationUrl, http://localhost:5210.
        Assert.Equal(("http", "http", 5210), (endpoint.Name, endpoint.UriScheme, endpoint.Port));
    }

    [Fact]
    public void A_port_chosen_before_WithTokenValidation_is_the_one_the_project_keeps()
    {
        var invoices = _builder.AddProject("invoices", Adopter("InvoicesApi")).WithHttpEndpoint(port: 5210);

        invoices.WithHttpEndpointIfItHasNone();

        var endpoint = Assert.Single(Endpoints(invoices));
        Assert.Equal(("http", 5210), (endpoint.Name, endpoint.Port));
    }

    [Fact]
    public void A_project_with_only_an_https_endpoint_is_left_as_it_is()
    {
        var secure = _builder.AddProject("secure", Adopter("InvoicesApi")).WithHttpsEndpoint();

        secure.WithHttpEndpointIfItHasNone();

        Assert.Equal("https", Assert.Single(Endpoints(secure)).Name);
    }

    private static List<EndpointAnnotation> Endpoints(IResourceBuilder<ProjectResource> project) =>
        [.. project.Resource.Annotations.OfType<EndpointAnnotation>()];

    private static string Adopter(string name) =>
        Path.GetFullPath(Path.Combine(Projects.AspireJwks_AppHost.ProjectPath, "..", "AspireJwks.Tests", "Adopters", name, name + ".csproj"));

    /// <summary>What the project's environment callbacks give <paramref name="name"/> when it starts.</summary>
    private static async Task<object?> EnvironmentAsync(IResourceBuilder<ProjectResource> project, string name)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), project.Resource);
        foreach (var callback in project.Resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }
        return context.EnvironmentVariables.GetValueOrDefault(name);
    }
}
