using System.Security.Cryptography;
using System.Text.Json;

namespace AspireJwks.KeyStore;

/// <summary>
/// Reads and checks a key store. The only reader of the on-disk format: the bootstrapper uses it
/// to validate a store before touching it, and Auth (which references it) to load its keys.
/// Every failure is a <see cref="KeyStoreException"/> that names the file at fault.
/// </summary>
public static class KeyStoreReader
{
    private const string PrivateKeyPemLabel = "PRIVATE KEY";
    private const string PublicKeyPemLabel = "PUBLIC KEY";

    private const UnixFileMode AccessByOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static bool ManifestExists(KeyStoreLayout layout) => File.Exists(layout.ManifestPath);

    public static LoadedKeyStore Load(KeyStoreLayout layout)
    {
        var manifest = ReadManifest(layout.ManifestPath);
        var keys = manifest.Keys.Select(entry => LoadKey(layout, entry)).ToList();
        return new LoadedKeyStore(manifest, keys);
    }

    private static KeyStoreManifest ReadManifest(string path)
    {
        KeyStoreManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(ReadAllBytes(path), KeyStoreJsonContext.Default.KeyStoreManifest);
        }
        catch (JsonException ex)
        {
            throw new KeyStoreException($"{path} is not a valid key store manifest: {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new KeyStoreException($"{path} is not a valid key store manifest: it is empty.");
        }
        if (manifest.FormatVersion != KeyStoreManifest.CurrentFormatVersion)
        {
            throw new KeyStoreException(
                $"{path} has format version {manifest.FormatVersion}; this program reads version {KeyStoreManifest.CurrentFormatVersion}.");
        }
        if (manifest.Keys.Count == 0)
        {
            throw new KeyStoreException($"{path} lists no keys.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in manifest.Keys)
        {
            if (!KeyStoreLayout.IsWellFormedKid(key.Kid))
            {
                throw new KeyStoreException($"{path} lists a key whose kid is not a base64url SHA-256 thumbprint.");
            }
            if (!seen.Add(key.Kid))
            {
                throw new KeyStoreException($"{path} lists the key {key.Kid} twice.");
            }
            if (!SigningAlgorithms.Supported.Contains(key.Alg))
            {
                throw new KeyStoreException($"{path} lists the key {key.Kid} with unsupported algorithm '{key.Alg}'.");
            }
        }
        return manifest;
    }

    private static StoredKey LoadKey(KeyStoreLayout layout, ManifestKey entry)
    {
        var privatePath = layout.PrivateKeyPath(entry.Kid);
        RequireOwnerOnly(privatePath);
        var privateKey = RSA.Create();
        ImportPem(privateKey, privatePath, PrivateKeyPemLabel, der => privateKey.ImportPkcs8PrivateKey(der, out _));
        if (privateKey.KeySize < SigningAlgorithms.MinimumRsaKeySize)
        {
            throw new KeyStoreException(
                $"{privatePath} holds a {privateKey.KeySize}-bit RSA key; at least {SigningAlgorithms.MinimumRsaKeySize} bits are required.");
        }

        var publicJwk = PublicJwk.FromRsa(privateKey, entry.Alg);
        if (publicJwk.Kid != entry.Kid)
        {
            throw new KeyStoreException($"{privatePath} does not hold the key {entry.Kid} (its thumbprint is {publicJwk.Kid}).");
        }

        var publicPath = layout.PublicKeyPath(entry.Kid);
        using var publicKey = RSA.Create();
        ImportPem(publicKey, publicPath, PublicKeyPemLabel, der => publicKey.ImportSubjectPublicKeyInfo(der, out _));
        if (PublicJwk.FromRsa(publicKey, entry.Alg).Kid != entry.Kid)
        {
            throw new KeyStoreException($"{publicPath} does not match the private key {entry.Kid}.");
        }

        return new StoredKey(entry, privateKey, publicJwk);
    }

    private static void ImportPem(RSA key, string path, string expectedLabel, Action<byte[]> import)
    {
        var pem = ReadAllText(path);
        try
        {
            var fields = PemEncoding.Find(pem);
            var label = pem.AsSpan()[fields.Label];
            if (!label.SequenceEqual(expectedLabel))
            {
                throw new KeyStoreException($"{path} holds a '{label}' PEM block; expected '{expectedLabel}'.");
            }
            import(Convert.FromBase64String(pem[fields.Base64Data]));
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException or FormatException)
        {
            key.Dispose();
            throw new KeyStoreException($"{path} is not a valid {expectedLabel} PEM file.", ex);
        }
    }

    private static void RequireOwnerOnly(string path)
    {
        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyStoreException($"Cannot read {path}: {ex.Message}", ex);
        }
        if ((mode & AccessByOthers) != 0)
        {
            throw new KeyStoreException(
                $"{path} is accessible to other users (mode {Convert.ToString((int)mode, 8)}); a private key must be mode 600.");
        }
    }

    private static byte[] ReadAllBytes(string path) => ReadFile(path, File.ReadAllBytes);

    private static string ReadAllText(string path) => ReadFile(path, File.ReadAllText);

    private static T ReadFile<T>(string path, Func<string, T> read)
    {
        try
        {
            return read(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyStoreException($"Cannot read {path}: {ex.Message}", ex);
        }
    }
}
