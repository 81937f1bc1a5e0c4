using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using AspireJwks.Store;

namespace AspireJwks.Tests.Store;

/// <summary>
/// A service's store registrations as one replica holds them (<c>AddTokenStore</c> with
/// <c>ConnectionStrings:store</c>), with its own connection, and a short timeout so that an outage
/// shows quickly.
/// </summary>
public static class StoreReplica
{
    public const string Timeout = "00:00:00.300";

    public static IHost Build(string connectionString, TimeProvider? timeProvider = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:store"] = connectionString,
            ["Store:Timeout"] = Timeout,
        });
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }
        builder.AddTokenStore();
        return builder.Build();
    }
}
