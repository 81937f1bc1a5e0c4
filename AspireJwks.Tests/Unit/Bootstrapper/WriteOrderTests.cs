using System.Text.RegularExpressions;
using AspireJwks.KeyStore;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Unit.Bootstrapper;

/// <summary>
/// The order in which a change reaches the disk, seen after each file operation of an emergency revocation
/// (the change with every step: a new key, the manifest, the JWKS and a key to delete): a reader
/// that looks at any moment finds a store it can load.
/// </summary>
public sealed class WriteOrderTests : IDisposable
{
    private static readonly string[] Timings = ["--propagation-delay", "00:10:00", "--retention", "00:30:00"];

    private readonly ObservedKeyStoreFiles _files = new();
    private readonly KeyStoreHarness _store;

    public WriteOrderTests() => _store = new KeyStoreHarness(passphrase: null, _files);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void New_key_files_then_the_manifest_then_the_jwks_then_the_deletions()
    {
        _store.Run(["init", .. Timings]);
        var revoked = _store.Manifest().Keys.Single().Kid;
        var seen = new List<string>();
        _files.AfterEach = operation => seen.Add($"{operation.Verb} {Shorten(operation.FileName, revoked)} -> {Describe(revoked)}");

        Assert.Equal(0, _store.Run("revoke", revoked));

        Assert.Equal(
            [
                "write successor.private.pem -> successor files: private 600; manifest: revoked; jwks: revoked; revoked files: private, public",
                "write successor.public.pem -> successor files: private 600, public; manifest: revoked; jwks: revoked; revoked files: private, public",
                "write manifest.json -> successor files: private 600, public; manifest: successor; jwks: revoked; revoked files: private, public",
                "write jwks.json -> successor files: private 600, public; manifest: successor; jwks: successor; revoked files: private, public",
                "delete revoked.private.pem revoked.public.pem -> successor files: private 600, public; manifest: successor; jwks: successor; revoked files: none",
            ],
            seen);
    }

    private static string Shorten(string fileNames, string revoked) =>
        Regex.Replace(fileNames, "[A-Za-z0-9_-]{43}", match => match.Value == revoked ? "revoked" : "successor");

    /// <summary>What is on disk now, in terms of the revoked key and its successor (whatever its kid).</summary>
    private string Describe(string revoked)
    {
        var layout = _store.Layout;
        var successor = Directory.GetFiles(layout.Directory, "*.private.pem")
            .Select(path => Path.GetFileName(path).Split('.')[0])
            .SingleOrDefault(kid => kid != revoked);
        var manifest = File.ReadAllText(layout.ManifestPath);
        var jwks = File.ReadAllText(layout.JwksPath);

        string Files(string? kid) => kid is null ? "none" : string.Join(", ", new[]
        {
            File.Exists(layout.PrivateKeyPath(kid)) ? $"private{(kid == revoked ? "" : $" {Convert.ToString((int)File.GetUnixFileMode(layout.PrivateKeyPath(kid)), 8)}")}" : null,
            File.Exists(layout.PublicKeyPath(kid)) ? "public" : null,
        }.OfType<string>().DefaultIfEmpty("none"));

        string Kids(string text) => string.Join(", ", new[]
        {
            text.Contains(revoked, StringComparison.Ordinal) ? "revoked" : null,
            successor is not null && text.Contains(successor, StringComparison.Ordinal) ? "successor" : null,
        }.OfType<string>());

        return $"successor files: {Files(successor)}; manifest: {Kids(manifest)}; jwks: {Kids(jwks)}; revoked files: {Files(revoked)}";
    }
}
