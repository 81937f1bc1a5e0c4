using AspireJwks.Hosting;

namespace Aspire.Hosting;

/// <summary>The key store's resource: the console project that runs the key commands.</summary>
public static class KeyStoreResourceExtensions
{
    /// <summary>
    /// Makes <paramref name="keys"/> (a console project calling <c>AddKeyStoreCommands</c> and
    /// <c>RunKeyStoreCommandAsync</c>) the key store: it runs <c>init</c> with the key parameters
    /// (added unless the AppHost has them: <c>keys-directory</c>, <c>signing-algorithm</c>,
    /// <c>rsa-key-size</c>, <c>token-lifetime</c>, <c>jwks-max-age</c>, <c>jwks-refresh-interval</c>,
    /// <c>key-propagation-delay</c>, <c>key-retention</c>, and <c>key-passphrase</c> when set), creating
    /// the store or checking it, and then exits; its dashboard menu gets "Rotate signing key",
    /// "Revoke signing key" and "List signing keys". Pass it to <c>AsTokenIssuer</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AsKeyStore(this IResourceBuilder<ProjectResource> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var parameters = KeyParameters.GetOrAdd(keys.ApplicationBuilder);
        return keys
            .WithAnnotation(new KeyStoreAnnotation(parameters))
            .WithArgs(
                "init",
                "--keys-directory", parameters.KeysDirectory,
                "--signing-algorithm", parameters.SigningAlgorithm,
                "--rsa-key-size", parameters.RsaKeySize,
                "--propagation-delay", parameters.PropagationDelay,
                "--retention", parameters.Retention)
            .WithKeyPassphrase(parameters)
            .WithKeyCommands(parameters);
    }

    internal static IResourceBuilder<ProjectResource> WithKeyPassphrase(this IResourceBuilder<ProjectResource> resource, KeyParameters keys) =>
        keys.Passphrase is { } passphrase ? resource.WithEnvironment(ServiceEnvironment.KeyStorePassphrase, passphrase) : resource;

    /// <summary>The key parameters of a resource made a key store with <see cref="AsKeyStore"/>.</summary>
    internal static KeyParameters KeyStoreParameters(this IResourceBuilder<ProjectResource> keys) =>
        keys.Resource.TryGetLastAnnotation<KeyStoreAnnotation>(out var store)
            ? store.Parameters
            : throw new InvalidOperationException($"'{keys.Resource.Name}' is not a key store; call AsKeyStore() on it first.");

    private sealed record KeyStoreAnnotation(KeyParameters Parameters) : IResourceAnnotation;
}
