namespace AspireJwks.AppHost;

/// <summary>
/// Gives the key store's parameters to the two services that use it, from one
/// <see cref="KeyParameters"/>: the bootstrapper's <c>init</c> writes the policy into the manifest,
/// Auth reads the same store with the same passphrase.
/// </summary>
internal static class KeyStoreExtensions
{
    /// <summary>The bootstrapper's run under the AppHost: <c>init</c>, creating the store or checking it and updating its policy.</summary>
    public static IResourceBuilder<ProjectResource> WithKeyStoreInit(this IResourceBuilder<ProjectResource> bootstrapper, KeyParameters keys) =>
        bootstrapper
            .WithArgs(
                "init",
                "--keys-directory", keys.KeysDirectory,
                "--signing-algorithm", keys.SigningAlgorithm,
                "--rsa-key-size", keys.RsaKeySize,
                "--propagation-delay", keys.PropagationDelay,
                "--retention", keys.Retention)
            .WithKeyPassphrase(keys);

    public static IResourceBuilder<ProjectResource> WithKeyPassphrase(this IResourceBuilder<ProjectResource> resource, KeyParameters keys) =>
        keys.Passphrase is { } passphrase ? resource.WithEnvironment(ServiceEnvironment.KeyStorePassphrase, passphrase) : resource;
}
