using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.Keys;

// Bound from the "KeyStore" section (the bootstrapper reads the same KeyStore__Passphrase):
// { "Passphrase": "...", "RecheckInterval": "00:00:01" }
internal sealed class KeyStoreOptions
{
    public const string SectionName = "KeyStore";

    /// <summary>Decrypts encrypted private keys; unset when the store's keys are plain PKCS#8.</summary>
    public string? Passphrase { get; set; }

    /// <summary>How often the store is re-read even without a file-system notification (which can be missed).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}

[OptionsValidator]
internal sealed partial class KeyStoreOptionsValidator : IValidateOptions<KeyStoreOptions>;
