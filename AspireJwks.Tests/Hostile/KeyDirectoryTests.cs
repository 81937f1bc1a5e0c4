using System.Diagnostics;
using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Options;
using AspireJwks.KeyStore;
using AspireJwks.Tests.Support;
using AspireJwks.Tests.Unit.Bootstrapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// A key directory that someone else could write to, and a lock file replaced by a symbolic link:
/// the bootstrapper and Auth both refuse to work with the store, naming the directory, rather than
/// trust keys another user could have swapped.
/// </summary>
public sealed class KeyDirectoryTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly KeyStoreHarness _store = new();

    public KeyDirectoryTests() => Assert.Equal(0, _store.Run("init"));

    public void Dispose() => _store.Dispose();

    private string Directory => _store.Layout.Directory;

    private string LoggedErrors() => string.Join("\n", _store.Logs.GetSnapshot().Where(record => record.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(record => record.Message));

    public static TheoryData<UnixFileMode> WritableByOthers =>
    [
        OwnerOnly | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute,
        OwnerOnly | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute,
        OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
            UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit,
    ];

    [Theory]
    [MemberData(nameof(WritableByOthers))]
    public async Task A_directory_writable_by_group_or_others_stops_every_command_and_auth_naming_it(UnixFileMode mode)
    {
        File.SetUnixFileMode(Directory, mode);
        var before = BootstrapperHarness.Snapshot(Directory);

        foreach (var command in new[] { "init", "rotate", "list" })
        {
            _store.Logs.Clear();
            Assert.Equal(1, _store.Run(command));
            Assert.Contains($"The key store directory {Directory} is writable by group or others", LoggedErrors(), StringComparison.Ordinal);
        }
        var auth = await Assert.ThrowsAsync<KeyStoreException>(() => LoadInAuthAsync(Directory, _store.Clock));

        Assert.Contains($"The key store directory {Directory} is writable by group or others", auth.Message, StringComparison.Ordinal);
        BootstrapperHarness.AssertUnchanged(Directory, before);
    }

    [Fact]
    public void Init_refuses_an_existing_empty_directory_writable_by_others_and_writes_nothing_in_it()
    {
        using var store = new KeyStoreHarness();
        System.IO.Directory.CreateDirectory(store.Layout.Directory);
        File.SetUnixFileMode(store.Layout.Directory, OwnerOnly | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);

        Assert.Equal(1, store.Run("init"));

        Assert.Empty(System.IO.Directory.GetFileSystemEntries(store.Layout.Directory));
    }

    [Fact]
    public async Task A_directory_owned_by_another_user_is_refused_naming_it()
    {
        if (Environment.UserName != "root")
        {
            // Not root: "/" is a directory another user (root) owns; auth and the bootstrapper refuse it first of all.
            var refusal = await Assert.ThrowsAsync<KeyStoreException>(() => LoadInAuthAsync("/", _store.Clock));
            Assert.StartsWith("The key store directory / is owned by uid 0, but this process runs as uid ", refusal.Message, StringComparison.Ordinal);
            Assert.Equal(1, _store.RunIn("/", "rotate"));
            Assert.Contains("The key store directory / is owned by uid 0", LoggedErrors(), StringComparison.Ordinal);
            return;
        }
        // Root: the store's own directory, given to another user.
        Chown(Directory, "65534");

        var auth = await Assert.ThrowsAsync<KeyStoreException>(() => LoadInAuthAsync(Directory, _store.Clock));
        Assert.Equal(1, _store.Run("rotate"));

        var expected = $"The key store directory {Directory} is owned by uid 65534, but this process runs as uid 0";
        Assert.StartsWith(expected, auth.Message, StringComparison.Ordinal);
        Assert.Contains(expected, LoggedErrors(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_lock_file_replaced_by_a_symbolic_link_is_refused_and_never_followed()
    {
        var lockFile = Path.Combine(Directory, ".lock");
        using var elsewhere = new TemporaryDirectory();
        var target = elsewhere.Combine("created-through-the-link");
        File.Delete(lockFile);
        File.CreateSymbolicLink(lockFile, target);
        var manifest = File.ReadAllBytes(_store.Layout.ManifestPath);

        Assert.Equal(1, _store.Run("rotate"));

        Assert.Contains($"{lockFile} is a symbolic link", LoggedErrors(), StringComparison.Ordinal);
        Assert.False(File.Exists(target));
        Assert.Equal(manifest, File.ReadAllBytes(_store.Layout.ManifestPath));
    }

    [Fact]
    public async Task A_store_in_a_private_directory_loads_in_auth_and_the_bootstrapper()
    {
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Directory));

        var keys = await LoadInAuthAsync(Directory, _store.Clock);

        Assert.Equal(_store.Manifest().Keys.Single().Kid, keys.Current.ActiveKid);
        Assert.Equal(0, _store.Run("rotate"));
    }

    internal static async Task<SigningKeyRing> LoadInAuthAsync(string directory, TimeProvider clock)
    {
        var keyRing = new SigningKeyRing(clock, NullLogger<SigningKeyRing>.Instance);
        var loader = new KeyStoreLoader(keyRing,
            Microsoft.Extensions.Options.Options.Create(new AuthOptions { KeysDirectory = directory }),
            Microsoft.Extensions.Options.Options.Create(new KeyStoreOptions()),
            clock, NullLogger<KeyStoreLoader>.Instance);
        await loader.StartAsync(CancellationToken.None);
        return keyRing;
    }

    private static void Chown(string path, string owner)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", [owner, path]) { RedirectStandardError = true })!;
        chown.WaitForExit();
        Assert.True(chown.ExitCode == 0, chown.StandardError.ReadToEnd());
    }
}
