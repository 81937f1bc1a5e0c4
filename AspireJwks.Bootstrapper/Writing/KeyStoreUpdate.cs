using System.Security.Cryptography;
using AspireJwks.KeyStore;

namespace AspireJwks.Bootstrapper.Writing;

/// <summary>The steps of a store change, in the order they reach the disk.</summary>
internal enum KeyStoreWriteStep
{
    NewKeyFilesWritten,
    ManifestWritten,
    JwksWritten,
    OldKeyFilesDeleted,
}

/// <summary>A key created by a change, not yet on disk.</summary>
internal sealed record NewKey(string Kid, AsymmetricAlgorithm PrivateKey)
{
    /// <summary>A fresh key as the policy asks for, named by its thumbprint.</summary>
    public static NewKey Generate(KeyStorePolicy policy)
    {
        var privateKey = SigningAlgorithms.Generate(policy.SigningAlgorithm, policy.RsaKeySize);
        return new NewKey(PublicJwk.FromKey(privateKey, policy.SigningAlgorithm).Kid, privateKey);
    }
}

/// <summary>
/// One change to the store, applied so that a crash at any point leaves a loadable store: new key
/// files first (unreferenced until the manifest lists them), then the manifest (the commit point),
/// then <c>jwks.json</c> (derived, re-derived by <c>init</c>), and only then the files of keys the
/// manifest no longer needs (a crash before leaves harmless unreferenced files).
/// </summary>
internal sealed record KeyStoreUpdate(KeyStoreManifest Manifest, IReadOnlyList<NewKey> NewKeys, IReadOnlyList<string> ObsoleteKids)
{
    /// <param name="afterStep">Called after each step; tests throw from it to simulate a crash there.</param>
    /// <param name="newKeyFilesWritten">Whether <see cref="WriteNewKeyFiles"/> already ran for <see cref="NewKeys"/>.</param>
    public void Apply(KeyStoreLayout layout, JsonWebKeySetDocument jwks, string? passphrase,
        Action<KeyStoreWriteStep>? afterStep = null, bool newKeyFilesWritten = false)
    {
        if (!newKeyFilesWritten)
        {
            WriteNewKeyFiles(layout, NewKeys, passphrase, afterStep);
        }

        KeyStoreWriter.WriteManifest(layout, Manifest);
        afterStep?.Invoke(KeyStoreWriteStep.ManifestWritten);

        KeyStoreWriter.WriteJwks(layout, jwks);
        afterStep?.Invoke(KeyStoreWriteStep.JwksWritten);

        foreach (var kid in ObsoleteKids)
        {
            KeyStoreWriter.DeleteKeyFiles(layout, kid);
        }
        afterStep?.Invoke(KeyStoreWriteStep.OldKeyFilesDeleted);
    }

    /// <summary>The first step on its own: files no manifest lists yet, so writing them changes nothing a reader sees.</summary>
    public static void WriteNewKeyFiles(KeyStoreLayout layout, IReadOnlyList<NewKey> keys, string? passphrase, Action<KeyStoreWriteStep>? afterStep)
    {
        foreach (var key in keys)
        {
            KeyStoreWriter.WritePrivateKey(layout, key.PrivateKey, key.Kid, passphrase);
            KeyStoreWriter.WritePublicKey(layout, key.PrivateKey, key.Kid);
        }
        afterStep?.Invoke(KeyStoreWriteStep.NewKeyFilesWritten);
    }
}
