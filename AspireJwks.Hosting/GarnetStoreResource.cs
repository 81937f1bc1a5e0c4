namespace AspireJwks.Hosting;

/// <summary>
/// The store as this AppHost runs it: Microsoft's Garnet, a Redis-protocol server, in a process of
/// its own (the <c>garnet-server</c> .NET tool, run with <c>dotnet tool exec</c>: no container, no
/// project to add), on loopback only, with a password and without persistence.
/// </summary>
internal sealed class GarnetStoreResource(string name, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, "dotnet", workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    /// <summary>The store's password, a generated secret parameter: the dashboard hides it, and it is never on a command line.</summary>
    public ParameterResource Password => password;

    public EndpointReference Endpoint => new(this, EndpointName);

    // The address Garnet binds, not "localhost", which can resolve to an IPv6 address it does not listen on.
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Endpoint.Property(EndpointProperty.TargetPort)},password={Password}");
}
