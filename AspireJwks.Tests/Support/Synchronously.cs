namespace AspireJwks.Tests.Support;

/// <summary>
/// The result of work that answers from process memory (a replay check without a store, a bucket
/// in this process): it has completed when the call returns, and a test fails if it ever waits.
/// </summary>
public static class Synchronously
{
    public static T Result<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : throw new Xunit.Sdk.XunitException("The call waited; from process memory it answers at once.");
}
