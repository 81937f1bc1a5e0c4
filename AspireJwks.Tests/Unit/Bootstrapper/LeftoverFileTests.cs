using AspireJwks.KeyStore;
using AspireJwks.KeyStore.Commands;
using AspireJwks.Tests.Hostile;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Unit.Bootstrapper;

/// <summary>
/// What an interrupted command leaves on disk, and who removes it: the next command that takes the
/// store lock (init, rotate or revoke), never Auth, which only reads. A revoked private key does not
/// survive its revocation, whatever the moment of the crash.
/// </summary>
public sealed class LeftoverFileTests : IDisposable
{
    private static readonly string[] Timings = ["--propagation-delay", "00:10:00", "--retention", "00:30:00"];

    private readonly ObservedKeyStoreFiles _files = new();
    private readonly KeyStoreHarness _store;

    public LeftoverFileTests()
    {
        _store = new KeyStoreHarness(passphrase: null, _files);
        Assert.Equal(0, _store.Run(["init", .. Timings]));
    }

    public void Dispose() => _store.Dispose();

    private string InStore(string fileName) => Path.Combine(_store.Layout.Directory, fileName);

    /// <summary>The files a store whose manifest publishes <paramref name="kids"/> consists of, and nothing else.</summary>
    private static string[] StoreOf(IEnumerable<string> kids) =>
        [.. new[] { ".lock", KeyStoreLayout.JwksFileName, KeyStoreLayout.ManifestFileName }
            .Concat(kids.SelectMany(kid => new[] { $"{kid}.private.pem", $"{kid}.public.pem" }))
            .Order(StringComparer.Ordinal)];

    private string[] FilesOnDisk() =>
        [.. Directory.GetFiles(_store.Layout.Directory).Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal)];

    private string[] PublishedKids() => [.. _store.Load().ToJwks(_store.Clock.GetUtcNow()).Keys.Select(key => key.Kid)];

    private void CrashAfter(Func<FileOperation, bool> step) => _files.AfterEach = operation =>
    {
        if (step(operation))
        {
            _files.AfterEach = null;
            throw new SimulatedCrashException();
        }
    };

    [Theory]
    [InlineData("init")]
    [InlineData("rotate")]
    public void Key_files_written_before_a_crash_that_kept_the_manifest_are_removed_by_the_next_command(string nextCommand)
    {
        CrashAfter(operation => operation.FileName.EndsWith(".public.pem", StringComparison.Ordinal));
        Assert.Throws<SimulatedCrashException>(() => _store.Get<RotateCommand>().Run(_store.Layout));
        var orphan = FilesOnDisk().Single(name => name.EndsWith(".private.pem", StringComparison.Ordinal) && !PublishedKids().Contains(name.Split('.')[0]));

        Assert.Equal(0, _store.Run([nextCommand, .. nextCommand == "init" ? Timings : []]));

        Assert.DoesNotContain(orphan, FilesOnDisk());
        Assert.Equal(StoreOf(PublishedKids()), FilesOnDisk());
    }

    [Fact]
    public void The_next_command_removes_the_temporary_files_of_interrupted_writes_and_nothing_else()
    {
        var kid = _store.Manifest().Keys.Single().Kid;
        var strays = new[] { $".{kid}.private.pem.{Guid.NewGuid():N}.tmp", $".manifest.json.{Guid.NewGuid():N}.tmp", $".jwks.json.{Guid.NewGuid():N}.tmp" };
        foreach (var stray in strays)
        {
            File.WriteAllText(InStore(stray), "-----BEGIN PRIVATE KEY-----\nhalf a ke");
        }
        // Files the store never writes are not its to delete.
        string[] foreign = ["notes.txt", ".manifest.json.backup.tmp", "other.private.pem"];
        foreach (var file in foreign)
        {
            File.WriteAllText(InStore(file), "kept");
        }

        Assert.Equal(0, _store.Run(["init", .. Timings]));

        Assert.Equal(StoreOf([kid]).Concat(foreign).Order(StringComparer.Ordinal), FilesOnDisk());
        Assert.Contains(_store.Logs.GetSnapshot(), record => record.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && record.Message == $"Removed {string.Join(", ", strays.Order(StringComparer.Ordinal))} from {_store.Layout.Directory}: left behind by an interrupted command");
    }

    [Theory]
    [InlineData("manifest")]
    [InlineData("jwks")]
    public void A_revoked_private_key_is_gone_after_the_next_command_even_if_the_revocation_crashed_before_deleting_it(string crashAfterWriting)
    {
        var revoked = _store.Manifest().Keys.Single().Kid;
        CrashAfter(operation => operation == new FileOperation("write", $"{crashAfterWriting}.json"));
        Assert.Throws<SimulatedCrashException>(() => _store.Get<RevokeCommand>().Run(_store.Layout, revoked));
        Assert.True(File.Exists(_store.Layout.PrivateKeyPath(revoked)));

        Assert.Equal(0, _store.Run(["init", .. Timings]));

        Assert.False(File.Exists(_store.Layout.PrivateKeyPath(revoked)));
        Assert.False(File.Exists(_store.Layout.PublicKeyPath(revoked)));
        Assert.Equal(StoreOf(PublishedKids()), FilesOnDisk());
        Assert.DoesNotContain(revoked, PublishedKids());
    }

    [Fact]
    public void Retrying_a_revocation_that_crashed_after_its_manifest_was_written_is_refused_but_deletes_the_private_key()
    {
        var revoked = _store.Manifest().Keys.Single().Kid;
        CrashAfter(operation => operation == new FileOperation("write", KeyStoreLayout.ManifestFileName));
        Assert.Throws<SimulatedCrashException>(() => _store.Get<RevokeCommand>().Run(_store.Layout, revoked));
        Assert.True(File.Exists(_store.Layout.PrivateKeyPath(revoked)));

        // The operator runs the same command again: the key is already revoked, so it is refused...
        Assert.NotEqual(0, _store.Run(["revoke", revoked]));

        // ...and still leaves no trace of the revoked key.
        Assert.False(File.Exists(_store.Layout.PrivateKeyPath(revoked)));
        Assert.False(File.Exists(_store.Layout.PublicKeyPath(revoked)));
        Assert.Equal(StoreOf(PublishedKids()), FilesOnDisk());
    }

    [Fact]
    public async Task Auth_deletes_nothing_it_finds_in_the_store()
    {
        CrashAfter(operation => operation.FileName.EndsWith(".public.pem", StringComparison.Ordinal));
        Assert.Throws<SimulatedCrashException>(() => _store.Get<RotateCommand>().Run(_store.Layout));
        File.WriteAllText(InStore($".manifest.json.{Guid.NewGuid():N}.tmp"), "{");
        var before = FilesOnDisk();

        await KeyDirectoryTests.LoadInAuthAsync(_store.Layout.Directory, _store.Clock);

        Assert.Equal(before, FilesOnDisk());
    }
}
