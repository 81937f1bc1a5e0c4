namespace AspireJwks.Tests.Support;

/// <summary>Bounded waiting for telemetry, which reaches the dashboard in batches about a second apart.</summary>
public static class Poll
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTimeOffset.UtcNow + Timeout;
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Nothing matched within {Timeout.TotalSeconds} s.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}
