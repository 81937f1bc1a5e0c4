using System.Text.Json;
using AspireJwks.KeyStore;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Unit.Bootstrapper;

public sealed class InitCommandTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    private string KeysDirectory => _directory.Combine("keys");

    [Fact]
    public async Task Init_creates_a_store_with_one_rs256_key_whose_private_file_is_mode_0600()
    {
        Assert.Equal(0, await BootstrapperHarness.RunAsync("init", "--keys-directory", KeysDirectory));

        var store = KeyStoreReader.Load(new KeyStoreLayout(KeysDirectory), TimeProvider.System.GetUtcNow());
        var key = Assert.Single(store.Keys);
        Assert.Equal("RS256", key.Entry.Alg);
        Assert.Equal(2048, key.PrivateKey.KeySize);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(KeysDirectory, $"{key.Kid}.private.pem")));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(Path.Combine(KeysDirectory, $"{key.Kid}.private.pem")), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", await File.ReadAllTextAsync(Path.Combine(KeysDirectory, $"{key.Kid}.public.pem")), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(KeysDirectory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_second_init_on_a_valid_store_keeps_the_kid_and_every_file()
    {
        await BootstrapperHarness.RunAsync("init", "--keys-directory", KeysDirectory);
        var before = BootstrapperHarness.Snapshot(KeysDirectory);

        Assert.Equal(0, await BootstrapperHarness.RunAsync("init", "--keys-directory", KeysDirectory));

        var after = BootstrapperHarness.Snapshot(KeysDirectory);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));
    }

    [Fact]
    public async Task Init_re_derives_a_deleted_jwks_without_touching_the_keys()
    {
        await BootstrapperHarness.RunAsync("init", "--keys-directory", KeysDirectory);
        var before = BootstrapperHarness.Snapshot(KeysDirectory);
        File.Delete(Path.Combine(KeysDirectory, "jwks.json"));

        Assert.Equal(0, await BootstrapperHarness.RunAsync("init", "--keys-directory", KeysDirectory));

        Assert.Equal(before["jwks.json"], await File.ReadAllBytesAsync(Path.Combine(KeysDirectory, "jwks.json")));
    }

    public static TheoryData<string, Action<string, string>> Corruptions => new()
    {
        { "manifest.json", (directory, _) => File.WriteAllText(Path.Combine(directory, "manifest.json"), "{ not json") },
        { "manifest.json", (directory, _) => File.WriteAllText(Path.Combine(directory, "manifest.json"), "{\"formatVersion\": 99, \"keys\": []}") },
        { ".private.pem", (directory, kid) => File.WriteAllText(Path.Combine(directory, $"{kid}.private.pem"), "-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n") },
        { ".private.pem", (directory, kid) => File.Delete(Path.Combine(directory, $"{kid}.private.pem")) },
        { ".private.pem", (directory, kid) => File.SetUnixFileMode(Path.Combine(directory, $"{kid}.private.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead) },
        { ".public.pem", (directory, kid) => File.WriteAllText(Path.Combine(directory, $"{kid}.public.pem"), "not a pem") },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public async Task A_corrupt_store_fails_naming_the_file_and_nothing_is_regenerated(string faultyFile, Action<string, string> corrupt)
    {
        await BootstrapperHarness.RunAsync("init", "--keys-directory", KeysDirectory);
        var kid = KeyStoreReader.Load(new KeyStoreLayout(KeysDirectory), TimeProvider.System.GetUtcNow()).Keys[0].Kid;
        corrupt(KeysDirectory, kid);
        var before = BootstrapperHarness.Snapshot(KeysDirectory);

        var exception = Assert.Throws<KeyStoreException>(() => KeyStoreReader.Load(new KeyStoreLayout(KeysDirectory), TimeProvider.System.GetUtcNow()));
        Assert.Contains(faultyFile, exception.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, await BootstrapperHarness.RunAsync("init", "--keys-directory", KeysDirectory));

        var after = BootstrapperHarness.Snapshot(KeysDirectory);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));
    }

    [Fact]
    public async Task A_manifest_pointing_outside_the_store_is_refused()
    {
        await BootstrapperHarness.RunAsync("init", "--keys-directory", KeysDirectory);
        var manifestPath = Path.Combine(KeysDirectory, "manifest.json");
        var manifest = await File.ReadAllTextAsync(manifestPath);
        var kid = JsonDocument.Parse(manifest).RootElement.GetProperty("keys")[0].GetProperty("kid").GetString()!;
        await File.WriteAllTextAsync(manifestPath, manifest.Replace(kid, "../../../etc/passwd", StringComparison.Ordinal));

        var exception = Assert.Throws<KeyStoreException>(() => KeyStoreReader.Load(new KeyStoreLayout(KeysDirectory), TimeProvider.System.GetUtcNow()));
        Assert.Contains("manifest.json", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unwritable_directory_fails_with_a_non_zero_exit_code_and_creates_nothing()
    {
        var blockingFile = _directory.Combine("a-file");
        await File.WriteAllTextAsync(blockingFile, "");

        Assert.NotEqual(0, await BootstrapperHarness.RunAsync("init", "--keys-directory", Path.Combine(blockingFile, "keys")));
        Assert.Equal("", await File.ReadAllTextAsync(blockingFile));
    }

    [Fact]
    public async Task A_jwks_without_a_manifest_is_an_existing_store_and_is_not_overwritten()
    {
        Directory.CreateDirectory(KeysDirectory);
        await File.WriteAllTextAsync(Path.Combine(KeysDirectory, "jwks.json"), "{\"keys\":[]}");

        Assert.NotEqual(0, await BootstrapperHarness.RunAsync("init", "--keys-directory", KeysDirectory));
        Assert.Equal("{\"keys\":[]}", await File.ReadAllTextAsync(Path.Combine(KeysDirectory, "jwks.json")));
        Assert.False(File.Exists(Path.Combine(KeysDirectory, "manifest.json")));
    }

    [Fact]
    public async Task A_missing_keys_directory_option_is_a_usage_error()
    {
        Assert.Equal(AspireJwks.KeyStore.Commands.KeyStoreCommandLine.Usage, await BootstrapperHarness.RunAsync("init"));
    }

    public void Dispose() => _directory.Dispose();
}
