using System.Security.Cryptography;
using System.Text;

using AspireJwks.KeyStore;

namespace AspireJwks.Bootstrapper.Writing;

/// <summary>
/// The only writer of the on-disk format. Each file is written atomically; the order in which a
/// change writes them (<see cref="KeyStoreUpdate"/>) keeps the store loadable at every step.
/// </summary>
internal static class KeyStoreWriter
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC (RFC 8018). The iteration count is OWASP's
    // current advice for PBKDF2-SHA256; it is paid once per key load, never per request.
    private static readonly PbeParameters Encryption = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 600_000);

    public static void EnsureDirectory(KeyStoreLayout layout) => Directory.CreateDirectory(layout.Directory, OwnerOnlyDirectory);

    public static void WritePrivateKey(KeyStoreLayout layout, AsymmetricAlgorithm key, string kid, string? passphrase)
    {
        var pem = string.IsNullOrEmpty(passphrase)
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(passphrase, Encryption);
        AtomicFile.Write(layout.PrivateKeyPath(kid), Encoding.ASCII.GetBytes(pem), AtomicFile.OwnerReadWrite);
    }

    public static void WritePublicKey(KeyStoreLayout layout, AsymmetricAlgorithm key, string kid) =>
        AtomicFile.Write(layout.PublicKeyPath(kid), Encoding.ASCII.GetBytes(key.ExportSubjectPublicKeyInfoPem()), AtomicFile.WorldReadable);

    public static void WriteManifest(KeyStoreLayout layout, KeyStoreManifest manifest) =>
        AtomicFile.Write(
            layout.ManifestPath,
            KeyStoreJsonContext.Serialize(manifest, KeyStoreJsonContext.Default.KeyStoreManifest),
            AtomicFile.WorldReadable);

    public static void WriteJwks(KeyStoreLayout layout, JsonWebKeySetDocument jwks) =>
        AtomicFile.Write(layout.JwksPath, jwks.ToUtf8Json(), AtomicFile.WorldReadable);

    /// <summary>Deletes a key's files; the private key first, as it is the one that must not linger.</summary>
    public static void DeleteKeyFiles(KeyStoreLayout layout, string kid)
    {
        File.Delete(layout.PrivateKeyPath(kid));
        File.Delete(layout.PublicKeyPath(kid));
    }
}
