namespace AspireJwks.KeyStore;

/// <summary>
/// Where the key store runs: on Unix, whose file modes keep private keys 0600 from the moment they
/// exist. On Windows the same guarantee would need ACLs this code does not set, so the entry points
/// refuse to start there instead of writing keys that others could read.
/// </summary>
internal static class KeyStorePlatform
{
    public static PlatformNotSupportedException NotSupported() =>
        new("The AspireJwks key store protects private keys with Unix file modes and does not run on Windows.");
}
