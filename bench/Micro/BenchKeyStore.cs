namespace AspireJwks.Bench.Micro;

/// <summary>
/// The key store the benchmarks sign and verify with. bench/micro creates it with the
/// bootstrapper's own <c>init</c> command (the format's one writer) and passes its directory, so
/// the benchmarks measure keys exactly as Auth loads them.
/// </summary>
internal static class BenchKeyStore
{
    public const string DirectoryVariable = "BENCH_KEYS_DIRECTORY";

    public const string Issuer = "http://localhost:3001";
    public const string Audience = "aspirejwks-api";
    public const string ClientId = "bench-client";
    public const string ClientSecret = "bench-secret-0123456789abcdef";
    public static readonly string ClientSecretSha256 = System.Buffers.Text.Base64Url.EncodeToString(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ClientSecret)));
    public const string Scope = "api.read";

    public static string Directory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } directory
            ? directory
            : throw new InvalidOperationException($"Set {DirectoryVariable} to a key store made by the bootstrapper's init (bench/micro does).");
}
