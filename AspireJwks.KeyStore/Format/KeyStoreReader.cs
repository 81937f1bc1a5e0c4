using System.Security.Cryptography;
using System.Text.Json;

namespace AspireJwks.KeyStore;

/// <summary>
/// Reads and checks a key store. The only reader of the on-disk format: the bootstrapper uses it
/// to validate a store before touching it, and Auth (which references it) to load its keys.
/// Every failure is a <see cref="KeyStoreException"/> that names the file at fault.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class KeyStoreReader
{
    public const string PrivateKeyPemLabel = "PRIVATE KEY";
    public const string EncryptedPrivateKeyPemLabel = "ENCRYPTED PRIVATE KEY";
    private const string PublicKeyPemLabel = "PUBLIC KEY";

    private const UnixFileMode AccessByOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static bool ManifestExists(KeyStoreLayout layout) => File.Exists(layout.ManifestPath);

    /// <summary>
    /// Loads the keys published at <paramref name="now"/>; keys that are gone or revoked are not
    /// read (their files may already be deleted). <paramref name="passphrase"/> decrypts encrypted
    /// private keys; a plain key is read with or without one. Keys of <paramref name="known"/> (the
    /// last load) are reused rather than decrypted again: a kid is the thumbprint of its key, so the
    /// same kid is the same key, and a reload costs no key derivation.
    /// </summary>
    public static LoadedKeyStore Load(KeyStoreLayout layout, DateTimeOffset now, string? passphrase = null, LoadedKeyStore? known = null)
    {
        var manifest = ReadManifest(layout);
        var statuses = KeyLifecycle.Evaluate(manifest, now);
        if (KeyLifecycle.Active(statuses) is null)
        {
            throw new KeyStoreException($"{layout.ManifestPath} has no key that is active at {now:O}.");
        }
        var keys = statuses
            .Where(status => status.IsPublished)
            .Select(status => Reuse(layout, status.Key, known) ?? LoadKey(layout, status.Key, passphrase))
            .ToList();
        return new LoadedKeyStore(manifest, keys);
    }

    /// <summary>The store's manifest, read once its directory has passed <see cref="RequirePrivateDirectory"/>.</summary>
    public static KeyStoreManifest ReadManifest(KeyStoreLayout layout)
    {
        RequirePrivateDirectory(layout);
        return ReadManifest(layout.ManifestPath);
    }

    /// <summary>
    /// Refuses a store directory that someone other than this process's user could change: owned by
    /// another user, or writable by group or others. Whoever can write there can replace the keys
    /// or plant links, so the file modes of the keys themselves would protect nothing. (Root owns
    /// what it runs on, so a root-owned directory passes when running as root.) A directory that
    /// does not exist passes: the read or lock that follows fails, naming it.
    /// </summary>
    public static void RequirePrivateDirectory(KeyStoreLayout layout)
    {
        FileOwnership? directory;
        try
        {
            directory = Posix.Ownership(layout.Directory);
        }
        catch (IOException ex)
        {
            throw new KeyStoreException(ex.Message, ex);
        }
        if (directory is not { } found)
        {
            return;
        }
        if (!found.IsDirectory)
        {
            throw new KeyStoreException($"The key store directory {layout.Directory} is not a directory.");
        }
        if (found.OwnerId != Posix.EffectiveUserId)
        {
            throw new KeyStoreException(
                $"The key store directory {layout.Directory} is owned by uid {found.OwnerId}, but this process runs as uid {Posix.EffectiveUserId}: " +
                "its owner could replace the keys. Give it to the user that runs the key store (chown).");
        }
        if ((found.Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new KeyStoreException(
                $"The key store directory {layout.Directory} is writable by group or others (mode {Convert.ToString((int)found.Mode, 8)}): " +
                "they could replace the keys. Remove their write permission (chmod go-w).");
        }
    }

    public static KeyStoreManifest ReadManifest(string path)
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
        if (!KeyStoreManifest.ReadableFormatVersions.Contains(manifest.FormatVersion))
        {
            throw new KeyStoreException(
                $"{path} has format version {manifest.FormatVersion}; this program reads versions {string.Join(" and ", KeyStoreManifest.ReadableFormatVersions)}.");
        }
        if (manifest.FormatVersion >= 2 && manifest.Policy is null)
        {
            throw new KeyStoreException($"{path} has no policy; format version {manifest.FormatVersion} requires one.");
        }
        if (manifest.EffectivePolicy.Problems() is [var problem, ..])
        {
            throw new KeyStoreException($"{path} has an invalid policy: {problem}.");
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

    private static StoredKey? Reuse(KeyStoreLayout layout, ManifestKey entry, LoadedKeyStore? known)
    {
        if (known?.Keys.FirstOrDefault(key => key.Kid == entry.Kid && key.Entry.Alg == entry.Alg) is not { } key)
        {
            return null;
        }
        // The file must still be there and private; its content cannot differ for the same kid.
        RequireOwnerOnly(layout.PrivateKeyPath(entry.Kid));
        return key with { Entry = entry };
    }

    private static StoredKey LoadKey(KeyStoreLayout layout, ManifestKey entry, string? passphrase)
    {
        var privatePath = layout.PrivateKeyPath(entry.Kid);
        RequireOwnerOnly(privatePath);
        var privateKey = SigningAlgorithms.CreateEmpty(entry.Alg);
        var encrypted = ImportPrivateKey(privateKey, privatePath, passphrase);
        if (SigningAlgorithms.Unsuitability(privateKey, entry.Alg) is { } problem)
        {
            privateKey.Dispose();
            throw new KeyStoreException($"{privatePath} {problem}.");
        }

        var publicJwk = PublicJwk.FromKey(privateKey, entry.Alg);
        if (publicJwk.Kid != entry.Kid)
        {
            privateKey.Dispose();
            throw new KeyStoreException($"{privatePath} does not hold the key {entry.Kid} (its thumbprint is {publicJwk.Kid}).");
        }

        var publicPath = layout.PublicKeyPath(entry.Kid);
        using var publicKey = SigningAlgorithms.CreateEmpty(entry.Alg);
        var (label, der) = ReadPem(publicPath, ReadAllText(publicPath), PublicKeyPemLabel);
        Import(publicPath, label, () => publicKey.ImportSubjectPublicKeyInfo(der, out _));
        if (PublicJwk.FromKey(publicKey, entry.Alg).Kid != entry.Kid)
        {
            privateKey.Dispose();
            throw new KeyStoreException($"{publicPath} does not match the private key {entry.Kid}.");
        }

        return new StoredKey(entry, privateKey, publicJwk, encrypted);
    }

    /// <returns>Whether the file was encrypted.</returns>
    private static bool ImportPrivateKey(AsymmetricAlgorithm key, string path, string? passphrase)
    {
        try
        {
            var (label, der) = ReadPem(path, ReadAllText(path), PrivateKeyPemLabel, EncryptedPrivateKeyPemLabel);
            if (label == PrivateKeyPemLabel)
            {
                Import(path, label, () => key.ImportPkcs8PrivateKey(der, out _));
                return false;
            }
            if (string.IsNullOrEmpty(passphrase))
            {
                throw new KeyStoreException($"{path} is encrypted; set the key-passphrase parameter to read it.");
            }
            try
            {
                key.ImportEncryptedPkcs8PrivateKey(passphrase, der, out _);
            }
            catch (CryptographicException ex)
            {
                // Never fall back to a new key: that would silently invalidate every token in flight.
                throw new KeyStoreException($"{path} cannot be decrypted with the configured key-passphrase (wrong passphrase?).", ex);
            }
            return true;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static (string Label, byte[] Der) ReadPem(string path, string pem, params string[] expectedLabels)
    {
        try
        {
            var fields = PemEncoding.Find(pem);
            var label = pem[fields.Label];
            if (!expectedLabels.Contains(label, StringComparer.Ordinal))
            {
                throw new KeyStoreException($"{path} holds a '{label}' PEM block; expected '{expectedLabels[0]}'.");
            }
            return (label, Convert.FromBase64String(pem[fields.Base64Data]));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new KeyStoreException($"{path} is not a valid {expectedLabels[0]} PEM file.", ex);
        }
    }

    private static void Import(string path, string label, Action import)
    {
        try
        {
            import();
        }
        catch (CryptographicException ex)
        {
            throw new KeyStoreException($"{path} is not a valid {label} PEM file for its algorithm.", ex);
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
