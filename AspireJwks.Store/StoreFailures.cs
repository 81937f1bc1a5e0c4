namespace AspireJwks.Store;

/// <summary>What counts as the store not answering.</summary>
internal static class StoreFailures
{
    /// <summary>
    /// Whether <paramref name="exception"/>, thrown by a store operation, means the store did not
    /// answer: a timeout, a connection error, a command the client dropped while reconnecting,
    /// anything but the caller's own cancellation. Each is treated as an outage (the request is
    /// refused with 503, or falls back to this process), so no store failure ever becomes a 500.
    /// </summary>
    public static bool IsOutage(Exception exception, CancellationToken cancellationToken) =>
        exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested;
}
