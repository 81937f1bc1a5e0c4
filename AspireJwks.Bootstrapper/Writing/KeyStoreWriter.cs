using System.Security.Cryptography;
using System.Text;

using AspireJwks.KeyStore;

namespace AspireJwks.Bootstrapper.Writing;

/// <summary>
/// The only writer of the on-disk format. Key files are written before the manifest that lists
/// them, and the manifest (the commit point) before the JWKS derived from it, so an interrupted
/// write leaves the previous store intact or a JWKS that <c>init</c> re-derives.
/// </summary>
internal static class KeyStoreWriter
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void EnsureDirectory(KeyStoreLayout layout) => Directory.CreateDirectory(layout.Directory, OwnerOnlyDirectory);

    public static void WriteKeyFiles(KeyStoreLayout layout, RSA key, string kid)
    {
        AtomicFile.Write(layout.PrivateKeyPath(kid), Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()), AtomicFile.OwnerReadWrite);
        AtomicFile.Write(layout.PublicKeyPath(kid), Encoding.ASCII.GetBytes(key.ExportSubjectPublicKeyInfoPem()), AtomicFile.WorldReadable);
    }

    public static void WriteManifest(KeyStoreLayout layout, KeyStoreManifest manifest) =>
        AtomicFile.Write(
            layout.ManifestPath,
            KeyStoreJsonContext.Serialize(manifest, KeyStoreJsonContext.Default.KeyStoreManifest),
            AtomicFile.WorldReadable);

    public static void WriteJwks(KeyStoreLayout layout, JsonWebKeySetDocument jwks) =>
        AtomicFile.Write(layout.JwksPath, jwks.ToUtf8Json(), AtomicFile.WorldReadable);
}
