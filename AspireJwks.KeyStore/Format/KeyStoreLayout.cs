using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using AspireJwks.Protocol;

namespace AspireJwks.KeyStore;

/// <summary>Where each part of the store lives inside its directory, and what its file names look like.</summary>
internal sealed partial record KeyStoreLayout(string Directory)
{
    public const string ManifestFileName = "manifest.json";
    public const string JwksFileName = "jwks.json";

    private const string PrivateKeySuffix = ".private.pem";
    private const string PublicKeySuffix = ".public.pem";

    public string ManifestPath => Path.Combine(Directory, ManifestFileName);

    public string JwksPath => Path.Combine(Directory, JwksFileName);

    public string PrivateKeyPath(string kid) => Path.Combine(Directory, $"{RequireSafeKid(kid)}{PrivateKeySuffix}");

    public string PublicKeyPath(string kid) => Path.Combine(Directory, $"{RequireSafeKid(kid)}{PublicKeySuffix}");

    /// <summary>
    /// A kid is a base64url thumbprint; checking the alphabet before it becomes a file name
    /// keeps a tampered manifest from pointing outside the store (<c>../../etc/passwd</c>).
    /// </summary>
    public static bool IsWellFormedKid([NotNullWhen(true)] string? kid) => AccessTokenProtocol.IsThumbprint(kid);

    /// <summary>The kid whose private or public key file <paramref name="fileName"/> is, or null for any other file.</summary>
    public static string? KidOfKeyFile(string fileName) => KeyFilePattern().Match(fileName) is { Success: true } match ? match.Groups[1].Value : null;

    public static bool IsPrivateKeyFile(string fileName) => KidOfKeyFile(fileName) is not null && fileName.EndsWith(PrivateKeySuffix, StringComparison.Ordinal);

    /// <summary>The temporary file an atomic write of <paramref name="fileName"/> goes through: hidden, and unique to the write.</summary>
    public static string TemporaryFileName(string fileName) => $".{fileName}.{Guid.NewGuid():N}.tmp";

    /// <summary>Whether <paramref name="fileName"/> is a <see cref="TemporaryFileName"/> of one of the store's files.</summary>
    public static bool IsTemporaryFile(string fileName) => TemporaryFilePattern().IsMatch(fileName);

    private static string RequireSafeKid(string kid) =>
        IsWellFormedKid(kid) ? kid : throw new ArgumentException($"'{kid}' is not a base64url key id.", nameof(kid));

    // \z, not $: $ also matches before a final newline, and a kid with one is no thumbprint.
    [GeneratedRegex(@"^([A-Za-z0-9_-]{43})\.(?:private|public)\.pem\z")]
    private static partial Regex KeyFilePattern();

    [GeneratedRegex(@"^\.(?:manifest\.json|jwks\.json|[A-Za-z0-9_-]{43}\.(?:private|public)\.pem)\.[0-9a-f]{32}\.tmp\z")]
    private static partial Regex TemporaryFilePattern();
}
