using System.Text.RegularExpressions;

namespace AspireJwks.KeyStore;

/// <summary>Where each part of the store lives inside its directory.</summary>
public sealed partial record KeyStoreLayout(string Directory)
{
    public const string ManifestFileName = "manifest.json";
    public const string JwksFileName = "jwks.json";

    public string ManifestPath => Path.Combine(Directory, ManifestFileName);

    public string JwksPath => Path.Combine(Directory, JwksFileName);

    public string PrivateKeyPath(string kid) => Path.Combine(Directory, $"{RequireSafeKid(kid)}.private.pem");

    public string PublicKeyPath(string kid) => Path.Combine(Directory, $"{RequireSafeKid(kid)}.public.pem");

    /// <summary>
    /// A kid is a base64url thumbprint; checking the alphabet before it becomes a file name
    /// keeps a tampered manifest from pointing outside the store (<c>../../etc/passwd</c>).
    /// </summary>
    public static bool IsWellFormedKid(string? kid) => kid is not null && KidPattern().IsMatch(kid);

    private static string RequireSafeKid(string kid) =>
        IsWellFormedKid(kid) ? kid : throw new ArgumentException($"'{kid}' is not a base64url key id.", nameof(kid));

    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex KidPattern();
}
