using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AspireJwks.Tests.Replicas;

/// <summary>
/// One api replica and then one auth replica killed outright under traffic: a client that calls
/// through the AppHost's endpoints with the standard resilience handler (as every service here
/// does) sees no failed call, and the orchestrator shows which replica died.
/// </summary>
public sealed class ReplicaFailureTests(ReplicatedAppHostFixture fixture, ITestOutputHelper output) : IClassFixture<ReplicatedAppHostFixture>
{
    [Fact]
    public async Task Killing_an_api_replica_then_an_auth_replica_under_traffic_fails_no_resilient_call()
    {
        await using var services = new ServiceCollection()
            .AddHttpClient("auth", http => http.BaseAddress = fixture.Run.App.GetEndpoint("auth", "http")).AddStandardResilienceHandler().Services
            .AddHttpClient("api", http => http.BaseAddress = fixture.Run.App.GetEndpoint("api", "http")).AddStandardResilienceHandler().Services
            .BuildServiceProvider();
        var clients = services.GetRequiredService<IHttpClientFactory>();
        var failures = new ConcurrentQueue<string>();
        var rounds = 0;
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var token = await TokenAsync(clients.CreateClient("auth"));
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await clients.CreateClient("api").SendAsync(request);
                    if (!response.IsSuccessStatusCode)
                    {
                        failures.Enqueue($"the API answered {(int)response.StatusCode}");
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    failures.Enqueue(ex.GetType().Name + ": " + ex.Message);
                }
                Interlocked.Increment(ref rounds);
                await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(2));
        var deadApi = fixture.ApiInstances[0];
        ServiceProcess.Kill(deadApi.ProcessId);
        await WaitUntilDeadAsync("api", deadApi);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var deadAuth = fixture.AuthInstances[0];
        ServiceProcess.Kill(deadAuth.ProcessId);
        await WaitUntilDeadAsync("auth", deadAuth);
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await traffic;

        Assert.Empty(failures);
        Assert.True(rounds > 50, $"only {rounds} rounds of traffic");
        output.WriteLine($"{rounds} token+call rounds while {deadApi.InstanceId} and then {deadAuth.InstanceId} were killed, none failed");
        // The dashboard (the orchestrator's resource states) shows which replica died, and that the others run on.
        AssertOnlyDead("api", deadApi, ReplicatedAppHostFixture.ApiReplicas);
        AssertOnlyDead("auth", deadAuth, ReplicatedAppHostFixture.AuthReplicas);
    }

    private async Task WaitUntilDeadAsync(string resource, ServiceInstance dead) =>
        await Eventually.TrueAsync(() => State(resource, dead) is { } state && state != KnownResourceStates.Running, TimeSpan.FromSeconds(30),
            $"the orchestrator should see that {dead.InstanceId} died");

    private void AssertOnlyDead(string resource, ServiceInstance dead, int replicas)
    {
        var instances = fixture.Run.Resources.InstancesOf(resource);
        Assert.Equal(replicas, instances.Count);
        Assert.All(instances.Where(instance => instance.ResourceId != dead.InstanceId),
            instance => Assert.Equal(KnownResourceStates.Running, instance.Snapshot.State?.Text));
        Assert.NotEqual(KnownResourceStates.Running, State(resource, dead));
        Assert.NotEqual(0, instances.Single(instance => instance.ResourceId == dead.InstanceId).Snapshot.ExitCode);
    }

    private string? State(string resource, ServiceInstance instance) =>
        fixture.Run.Resources.InstancesOf(resource).Single(candidate => candidate.ResourceId == instance.InstanceId).Snapshot.State?.Text;

    private async Task<string> TokenAsync(HttpClient auth)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = AppHostFixture.BasicCredentials(RotatingAppHost.ClientId, fixture.Run.ClientSecret);
        using var response = await auth.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }
}
