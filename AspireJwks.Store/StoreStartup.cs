using AspireJwks.Protocol.DPoP;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireJwks.Store;

/// <summary>
/// Says once at start which store the service keeps its replay checks, rate limits and key changes
/// in, and, with a store, begins its <see cref="StoreEpoch"/> if it has none yet. An epoch begun
/// at start is dated <see cref="DPoPProtocol.MaxClockAhead"/> earlier: in a fresh deployment no
/// proof can predate the services, so its first clients are not asked for a nonce. (A service that
/// starts just as the store restarts dates the new life that much early too; a proof from a client
/// whose clock runs ahead, used in the seconds before the restart, could then be replayed once.)
/// </summary>
internal sealed class StoreStartup(IServiceProvider services, IOptions<StoreOptions> options, TimeProvider timeProvider, ILogger<StoreStartup> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetKeyedService<IConnectionMultiplexer>(TokenStoreRegistration.ConnectionName) is not { } store)
        {
            logger.LogInformation(
                "No token store (ConnectionStrings:{Name}): DPoP proof and client assertion jtis and token rate limits are kept in this " +
                "process only, and key changes are polled. Replicas of this service do not share them",
                TokenStoreRegistration.ConnectionName);
            return;
        }
        // The endpoints only: the configuration holds the password.
        logger.LogInformation("Token store: {Endpoints}", string.Join(", ", store.GetEndPoints().Select(endpoint => endpoint.ToString())));
        try
        {
            var database = store.GetDatabase();
            await database.StringSetAsync(StoreEpoch.Key, StoreEpoch.Begin(timeProvider.GetUtcNow() - DPoPProtocol.MaxClockAhead).ToValue(), when: When.NotExists)
                .WaitAsync(options.Value.Timeout, timeProvider, cancellationToken);
        }
        catch (Exception ex) when (StoreFailures.IsOutage(ex, cancellationToken))
        {
            // Not ready yet: the first replay check begins the epoch.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
