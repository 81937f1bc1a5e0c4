using AspireJwks.Protocol;

namespace AspireJwks.KeyStore;

/// <summary>
/// How the store's keys are made and timed, written by <c>init</c> from the AppHost's parameters so
/// that the command line, the dashboard commands and Auth all follow the same rules.
/// </summary>
/// <param name="PropagationDelay">How long a new key is published before it may sign: validators must have fetched it by then.</param>
/// <param name="Retention">How long a retired key stays published: every token it signed must have expired by then.</param>
internal sealed record KeyStorePolicy(string SigningAlgorithm, int RsaKeySize, TimeSpan PropagationDelay, TimeSpan Retention)
{
    public static readonly KeyStorePolicy Default = new(
        SigningAlgorithms.Default,
        SigningAlgorithms.DefaultRsaKeySize,
        PropagationDelay: TimeSpan.FromMinutes(2.5),
        Retention: TimeSpan.FromMinutes(6));

    /// <summary>Every rule the policy breaks, each naming the setting; empty when it is valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!SigningAlgorithms.Supported.Contains(SigningAlgorithm))
        {
            problems.Add($"signing algorithm '{SigningAlgorithm}' is not one of {string.Join(", ", SigningAlgorithms.Supported)}");
        }
        if (!KeyStoreLimits.RsaKeySizes.Contains(RsaKeySize))
        {
            problems.Add($"RSA key size {RsaKeySize} is not one of {string.Join(", ", KeyStoreLimits.RsaKeySizes)}");
        }
        if (PropagationDelay < TimeSpan.Zero || PropagationDelay > KeyStoreLimits.MaximumDuration)
        {
            problems.Add($"propagation delay {PropagationDelay} is outside 00:00:00 to {KeyStoreLimits.MaximumDuration}");
        }
        if (Retention < TimeSpan.Zero || Retention > KeyStoreLimits.MaximumDuration)
        {
            problems.Add($"retention {Retention} is outside 00:00:00 to {KeyStoreLimits.MaximumDuration}");
        }
        return problems;
    }
}
