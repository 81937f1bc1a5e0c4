using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireJwks.Store;

/// <summary>
/// Reports the store: healthy when it answers a PING within the timeout, degraded when it does
/// not. Never unhealthy: a store outage stops only the replay-checked requests (503), while Bearer
/// validation and secret-based issuance go on, so an orchestrator must not take the service out
/// of rotation for it. Degraded still answers 200 on <c>/health</c>, with "Degraded" as its body:
/// the dashboard, which reads the status code, keeps the service healthy and shows the outage on
/// the <c>store</c> resource itself.
/// </summary>
internal sealed class StoreHealthCheck(
    [FromKeyedServices(TokenStoreRegistration.ConnectionName)] IConnectionMultiplexer store,
    IOptions<StoreOptions> options,
    TimeProvider timeProvider) : IHealthCheck
{
    public const string Name = "store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetDatabase().PingAsync().WaitAsync(options.Value.Timeout, timeProvider, cancellationToken);
            return HealthCheckResult.Healthy("The token store answers.");
        }
        catch (Exception ex) when (StoreFailures.IsOutage(ex, cancellationToken))
        {
            return HealthCheckResult.Degraded(
                "The token store does not answer: DPoP proofs and client assertions get 503; rate limits count per process; key changes are polled.");
        }
    }
}
