using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireJwks.Bench.Micro;

/// <summary>
/// Auth's services exactly as its Program registers them, started (so its keys are loaded) in a
/// host without a web server: the benchmarks call the services a request would.
/// </summary>
internal static class AuthHost
{
    public static async Task<IHost> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = BenchKeyStore.Issuer,
            ["Auth:KeysDirectory"] = BenchKeyStore.Directory,
            // Long enough that no token expires during a run.
            ["Auth:TokenLifetime"] = "1.00:00:00",
            ["Auth:JwksMaxAge"] = "00:01:00",
            ["Auth:Apis:0:Audience"] = BenchKeyStore.Audience,
            ["Auth:Apis:0:Scopes:0"] = BenchKeyStore.Scope,
            ["Auth:Clients:0:ClientId"] = BenchKeyStore.ClientId,
            ["Auth:Clients:0:SecretSha256"] = BenchKeyStore.ClientSecretSha256,
            ["Auth:Clients:0:Scopes:0"] = BenchKeyStore.Scope,
            ["RateLimiting:TokenRequestsPerSecond"] = "0",
        });
        builder.AddTokenIssuer();
        var app = builder.Build();
        await app.StartAsync();
        return app;
    }
}
