using System.Globalization;

namespace AspireJwks.AppHost;

/// <summary>
/// Passes the key parameters to the services that need them, from one <see cref="KeyParameters"/>,
/// so the bootstrapper's policy, Auth's lifetimes and the API's refresh cannot disagree.
/// </summary>
internal static class KeySettingsExtensions
{
    /// <summary>The bootstrapper's and Auth's passphrase variable (configuration key <c>KeyStore:Passphrase</c>).</summary>
    public const string PassphraseVariable = "KeyStore__Passphrase";

    /// <summary>Adds the policy options to the bootstrapper's <c>init</c>, which writes them into the manifest.</summary>
    public static IResourceBuilder<ProjectResource> WithKeyPolicy(this IResourceBuilder<ProjectResource> bootstrapper, KeyParameters keys) =>
        bootstrapper
            .WithArgs(
                "--signing-algorithm", keys.SigningAlgorithm,
                "--rsa-key-size", keys.RsaKeySize,
                "--propagation-delay", keys.PropagationDelay,
                "--retention", keys.Retention)
            .WithPassphrase(keys);

    public static IResourceBuilder<ProjectResource> WithTokenTimings(this IResourceBuilder<ProjectResource> auth, KeyParameters keys) =>
        auth.WithEnvironment("Auth__TokenLifetime", keys.TokenLifetime)
            .WithEnvironment("Auth__JwksMaxAge", keys.JwksMaxAge)
            .WithPassphrase(keys);

    public static IResourceBuilder<ProjectResource> WithJwksRefresh(this IResourceBuilder<ProjectResource> api, KeyParameters keys) =>
        api.WithEnvironment("TokenValidation__JwksRefreshInterval", keys.JwksRefreshInterval)
            .WithEnvironment("TokenValidation__ClockSkew", KeyParameters.ClockSkew.ToString("c", CultureInfo.InvariantCulture))
            .WithEnvironment("TokenValidation__ValidationCacheLifetime", "00:00:30");

    private static IResourceBuilder<ProjectResource> WithPassphrase(this IResourceBuilder<ProjectResource> resource, KeyParameters keys) =>
        keys.Passphrase is { } passphrase ? resource.WithEnvironment(PassphraseVariable, passphrase) : resource;
}
