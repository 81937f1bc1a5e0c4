using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Replicas;

/// <summary>
/// The real AppHost with <c>auth-replicas=2</c> and <c>api-replicas=3</c>, key timings of
/// seconds, and each replica's own address, so a test can talk to one process or, through the
/// AppHost's endpoints, to all of them as a client would.
/// </summary>
public sealed class ReplicatedAppHostFixture : IAsyncLifetime
{
    public const int AuthReplicas = 2;
    public const int ApiReplicas = 3;

    internal RotatingAppHost Run { get; private set; } = null!;

    public IReadOnlyList<ServiceInstance> AuthInstances { get; private set; } = [];

    public IReadOnlyList<ServiceInstance> ApiInstances { get; private set; } = [];

    /// <summary>The AppHost arguments that run <see cref="AuthReplicas"/> and <see cref="ApiReplicas"/> processes.</summary>
    public static readonly string[] Arguments = [$"Parameters:auth-replicas={AuthReplicas}", $"Parameters:api-replicas={ApiReplicas}"];

    public async Task InitializeAsync()
    {
        Run = await RotatingAppHost.StartAsync(Arguments);
        (AuthInstances, ApiInstances) = await WaitForReplicasAsync(Run);
    }

    /// <summary>
    /// Waits until every replica of <paramref name="run"/> is running and every API replica accepts
    /// tokens (each fetches its keys on its own), and returns them.
    /// </summary>
    internal static async Task<(IReadOnlyList<ServiceInstance> Auth, IReadOnlyList<ServiceInstance> Api)> WaitForReplicasAsync(RotatingAppHost run)
    {
        await Eventually.TrueAsync(
            () => ServiceProcess.Instances(run.Resources, "auth").Count == AuthReplicas && ServiceProcess.Instances(run.Resources, "api").Count == ApiReplicas,
            TimeSpan.FromMinutes(2), $"{AuthReplicas} auth and {ApiReplicas} api processes should be running");
        var apis = ServiceProcess.Instances(run.Resources, "api");
        var token = await run.GetTokenAsync();
        foreach (var api in apis)
        {
            using var http = Client(api);
            await Eventually.TrueAsync(async () =>
            {
                using var response = await run.CallApiAsync(token, http);
                return response.IsSuccessStatusCode;
            }, TimeSpan.FromSeconds(30), $"{api.InstanceId} should accept tokens");
        }
        return (ServiceProcess.Instances(run.Resources, "auth"), apis);
    }

    /// <summary>A client of one replica's own process, past the AppHost's balancing.</summary>
    public static HttpClient Client(ServiceInstance instance) => new() { BaseAddress = instance.Address, Timeout = TimeSpan.FromSeconds(30) };

    public async Task DisposeAsync()
    {
        if (Run is not null)
        {
            await Run.DisposeAsync();
        }
    }
}
