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

    public RotatingAppHost Run { get; private set; } = null!;

    public IReadOnlyList<ServiceInstance> AuthInstances { get; private set; } = [];

    public IReadOnlyList<ServiceInstance> ApiInstances { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Run = await RotatingAppHost.StartAsync($"Parameters:auth-replicas={AuthReplicas}", $"Parameters:api-replicas={ApiReplicas}");
        await Eventually.TrueAsync(
            () => ServiceProcess.Instances(Run.Resources, "auth").Count == AuthReplicas && ServiceProcess.Instances(Run.Resources, "api").Count == ApiReplicas,
            TimeSpan.FromMinutes(2), $"{AuthReplicas} auth and {ApiReplicas} api processes should be running");
        AuthInstances = ServiceProcess.Instances(Run.Resources, "auth");
        ApiInstances = ServiceProcess.Instances(Run.Resources, "api");
        // Each API replica fetches its keys on its own; wait until every one answers.
        var token = await Run.GetTokenAsync();
        foreach (var api in ApiInstances)
        {
            using var http = Client(api);
            await Eventually.TrueAsync(async () => (await Run.CallApiAsync(token, http)).IsSuccessStatusCode, TimeSpan.FromSeconds(30),
                $"{api.InstanceId} should accept tokens");
        }
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
