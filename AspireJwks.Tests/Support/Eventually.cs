using System.Diagnostics;

namespace AspireJwks.Tests.Support;

/// <summary>Bounded waiting for something the system does in the background.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(elapsed.Elapsed < within, $"Within {within}, {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan within, string what) =>
        TrueAsync(() => Task.FromResult(condition()), within, what);
}
