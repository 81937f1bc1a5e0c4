using Microsoft.Extensions.Hosting;

namespace AspireJwks.Bench.Micro;

internal static class HostLifetime
{
    public static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
    }
}
