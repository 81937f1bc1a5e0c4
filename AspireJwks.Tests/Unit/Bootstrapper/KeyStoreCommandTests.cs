using System.Text;
using AspireJwks.KeyStore;
using AspireJwks.KeyStore.Commands;
using AspireJwks.KeyStore.Writing;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Unit.Bootstrapper;

public sealed class KeyStoreCommandTests : IDisposable
{
    private static readonly string[] Timings = ["--propagation-delay", "00:10:00", "--retention", "00:30:00"];

    private readonly ObservedKeyStoreFiles _files = new();
    private readonly KeyStoreHarness _store;

    public KeyStoreCommandTests() => _store = new KeyStoreHarness(passphrase: null, _files);

    public void Dispose() => _store.Dispose();

    /// <summary>Key generation and encryption can be slow: the clock moves on while a new key's files are written.</summary>
    private void SlowKeyFiles(TimeSpan each) => _files.AfterEach = operation =>
    {
        if (operation is { Verb: "write" } && operation.FileName.EndsWith(".public.pem", StringComparison.Ordinal))
        {
            _store.Clock.Advance(each);
        }
    };

    [Fact]
    public void List_prints_one_line_per_key_with_its_state_and_dates()
    {
        Assert.Equal(0, _store.Run(["init", .. Timings]));
        Assert.Equal(0, _store.Run("rotate"));

        Assert.Equal(0, _store.Run("list"));

        var lines = _store.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^[A-Za-z0-9_-]{43}  RS256  active   created=\S+  activates=\S+  retires=2026-11-01T12:10:00\.0000000\+00:00  leaves-jwks=2026-11-01T12:40:00\.0000000\+00:00$", lines[0]);
        Assert.Matches(@"^[A-Za-z0-9_-]{43}  RS256  next     created=\S+  activates=2026-11-01T12:10:00\.0000000\+00:00  retires=-  leaves-jwks=-$", lines[1]);
    }

    [Fact]
    public void A_rotated_key_is_published_at_once_but_signs_only_after_the_propagation_delay()
    {
        _store.Run(["init", .. Timings]);
        var first = _store.Load().Active(_store.Clock.GetUtcNow()).Kid;

        Assert.Equal(0, _store.Run("rotate"));
        var store = _store.Load();
        var next = store.Keys.Single(key => key.Kid != first).Kid;

        Assert.Equal([first, next], store.ToJwks(_store.Clock.GetUtcNow()).Keys.Select(key => key.Kid));
        Assert.Equal(first, store.Active(_store.Clock.GetUtcNow() + TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1)).Kid);
        Assert.Equal(next, store.Active(_store.Clock.GetUtcNow() + TimeSpan.FromMinutes(10)).Kid);
        Assert.Equal([next], store.ToJwks(_store.Clock.GetUtcNow() + TimeSpan.FromMinutes(40)).Keys.Select(key => key.Kid));
    }

    [Fact]
    public void A_rotated_keys_dates_count_from_when_its_files_are_on_disk()
    {
        _store.Run(["init", .. Timings]);
        var started = _store.Clock.GetUtcNow();
        SlowKeyFiles(TimeSpan.FromSeconds(30));

        Assert.Equal(0, _store.Run("rotate"));

        var next = _store.Manifest().Keys[^1];
        Assert.Equal(started + TimeSpan.FromSeconds(30), next.CreatedAt);
        Assert.Equal(started + TimeSpan.FromSeconds(30) + TimeSpan.FromMinutes(10), next.ActivatesAt);
    }

    [Fact]
    public void A_second_rotate_while_one_is_pending_fails_and_changes_nothing()
    {
        _store.Run(["init", .. Timings]);
        _store.Run("rotate");
        var before = File.ReadAllBytes(_store.Layout.ManifestPath);

        Assert.Equal(KeyStoreCommandLine.Failure, _store.Run("rotate"));

        Assert.Equal(before, File.ReadAllBytes(_store.Layout.ManifestPath));
    }

    [Fact]
    public void Revoking_the_active_key_deletes_its_private_key_and_a_new_key_signs_at_once()
    {
        _store.Run(["init", .. Timings]);
        var revoked = _store.Load().Active(_store.Clock.GetUtcNow()).Kid;

        Assert.Equal(0, _store.Run("revoke", revoked));

        var store = _store.Load();
        Assert.NotEqual(revoked, store.Active(_store.Clock.GetUtcNow()).Kid);
        Assert.DoesNotContain(revoked, store.ToJwks(_store.Clock.GetUtcNow()).Keys.Select(key => key.Kid));
        Assert.False(File.Exists(_store.Layout.PrivateKeyPath(revoked)));
        Assert.DoesNotContain(revoked, File.ReadAllText(_store.Layout.JwksPath), StringComparison.Ordinal);
    }

    [Fact]
    public void Revoking_the_next_key_drops_it_and_its_files_and_the_active_key_keeps_signing()
    {
        _store.Run(["init", .. Timings]);
        var active = _store.Manifest().Keys.Single().Kid;
        _store.Run("rotate");
        var next = _store.Manifest().Keys[^1].Kid;

        Assert.Equal(0, _store.Run("revoke", next));

        var store = _store.Load();
        Assert.Equal([active], store.ToJwks(_store.Clock.GetUtcNow()).Keys.Select(key => key.Kid));
        Assert.Equal(active, store.Active(_store.Clock.GetUtcNow() + TimeSpan.FromHours(1)).Kid);
        Assert.False(File.Exists(_store.Layout.PrivateKeyPath(next)));
        Assert.False(File.Exists(_store.Layout.PublicKeyPath(next)));
        Assert.Equal(store.ToJwks(_store.Clock.GetUtcNow()).ToUtf8Json(), File.ReadAllBytes(_store.Layout.JwksPath));
    }

    [Fact]
    public void An_emergency_replacements_dates_count_from_when_its_files_are_on_disk()
    {
        _store.Run(["init", .. Timings]);
        var revoked = _store.Manifest().Keys.Single().Kid;
        var started = _store.Clock.GetUtcNow();
        SlowKeyFiles(TimeSpan.FromSeconds(30));

        Assert.Equal(0, _store.Run("revoke", revoked));

        // The revoked key left the manifest (nothing older needs its dates); its successor was dated once on disk.
        var successor = _store.Manifest().Keys.Single();
        Assert.NotEqual(revoked, successor.Kid);
        Assert.Equal(started + TimeSpan.FromSeconds(30), successor.CreatedAt);
    }

    [Fact]
    public async Task A_command_waits_while_another_holds_the_store_lock_and_runs_once_it_is_released()
    {
        _store.Run(["init", .. Timings]);
        var held = KeyStoreLock.Acquire(_store.Layout, TimeSpan.Zero, TimeProvider.System);

        // The harness's clock stands still, so the command can only wait, never time out.
        var rotation = Task.Run(() => _store.Run("rotate"));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(rotation.IsCompleted);
        held.Dispose();

        Assert.Equal(0, await rotation.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, _store.Manifest().Keys.Count);
    }

    [Fact]
    public void A_clock_stepped_back_29_seconds_after_init_or_an_emergency_revocation_still_loads_with_an_active_key()
    {
        var stepBack = TimeSpan.FromSeconds(29);
        _store.Run(["init", .. Timings]);
        var first = _store.Manifest().Keys.Single().Kid;

        Assert.Equal(first, KeyStoreReader.Load(_store.Layout, _store.Clock.GetUtcNow() - stepBack).Active(_store.Clock.GetUtcNow() - stepBack).Kid);

        _store.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, _store.Run("revoke", first));
        var stepped = _store.Clock.GetUtcNow() - stepBack;
        var store = KeyStoreReader.Load(_store.Layout, stepped);
        Assert.NotEqual(first, store.Active(stepped).Kid);
        Assert.DoesNotContain(first, store.ToJwks(stepped).Keys.Select(key => key.Kid));
    }

    [Fact]
    public void Revoking_an_unknown_kid_fails()
    {
        _store.Run(["init", .. Timings]);

        Assert.Equal(KeyStoreCommandLine.Failure, _store.Run("revoke", new string('x', 43)));
    }

    [Fact]
    public void Init_with_changed_timings_updates_the_policy_and_keeps_the_keys()
    {
        _store.Run(["init", .. Timings]);
        var keys = _store.Manifest().Keys;

        Assert.Equal(0, _store.Run("init", "--propagation-delay", "00:20:00", "--retention", "01:00:00", "--signing-algorithm", "ES256"));

        var manifest = _store.Manifest();
        Assert.Equal(keys, manifest.Keys);
        Assert.Equal(new KeyStorePolicy("ES256", 2048, TimeSpan.FromMinutes(20), TimeSpan.FromHours(1)), manifest.Policy);
    }

    [Fact]
    public void Init_on_an_unchanged_store_changes_nothing()
    {
        _store.Run(["init", .. Timings]);
        var manifest = File.ReadAllBytes(_store.Layout.ManifestPath);
        var jwks = File.ReadAllBytes(_store.Layout.JwksPath);

        Assert.Equal(0, _store.Run(["init", .. Timings]));

        Assert.Equal(manifest, File.ReadAllBytes(_store.Layout.ManifestPath));
        Assert.Equal(jwks, File.ReadAllBytes(_store.Layout.JwksPath));
    }

    [Fact]
    public void A_version_1_store_is_read_with_the_default_policy_and_upgraded_by_init()
    {
        _store.Run(["init", .. Timings]);
        var key = _store.Manifest().Keys.Single();
        File.WriteAllText(_store.Layout.ManifestPath,
            $$"""{ "formatVersion": 1, "keys": [ { "kid": "{{key.Kid}}", "alg": "RS256", "createdAt": "{{key.CreatedAt:O}}", "activatesAt": "{{key.ActivatesAt:O}}" } ] }""");

        Assert.Equal(KeyStorePolicy.Default, _store.Load().Manifest.EffectivePolicy);
        Assert.Equal(0, _store.Run(["init", .. Timings]));

        Assert.Equal(KeyStoreManifest.CurrentFormatVersion, _store.Manifest().FormatVersion);
        Assert.Equal(key, _store.Manifest().Keys.Single());
    }

    /// <summary>The steps of a change, in the order they reach the disk, each named by the file operation that ends it.</summary>
    public static TheoryData<string, int> WriteSteps => new()
    {
        { "gone key files deleted", 1 },
        { "new key files written", 1 },
        { "manifest written", 2 },
        { "jwks written", 2 },
    };

    private static bool Ends(string step, FileOperation operation) => step switch
    {
        "new key files written" => operation.Verb == "write" && operation.FileName.EndsWith(".public.pem", StringComparison.Ordinal),
        "manifest written" => operation == new FileOperation("write", KeyStoreLayout.ManifestFileName),
        "jwks written" => operation == new FileOperation("write", KeyStoreLayout.JwksFileName),
        "gone key files deleted" => operation.Verb == "delete",
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };

    [Theory]
    [MemberData(nameof(WriteSteps))]
    public void A_rotation_interrupted_after_any_write_step_leaves_a_loadable_store(string crashAfter, int keysAfterwards)
    {
        // A first rotation, long over: the crashing one first deletes the files of the key that is gone.
        _store.Run(["init", .. Timings]);
        _store.Run("rotate");
        _store.Clock.Advance(TimeSpan.FromMinutes(40));
        _files.AfterEach = operation =>
        {
            if (Ends(crashAfter, operation))
            {
                throw new SimulatedCrashException();
            }
        };

        Assert.Throws<SimulatedCrashException>(() => _store.Get<RotateCommand>().Run(_store.Layout));
        _files.AfterEach = null;

        Assert.Equal(keysAfterwards, _store.Load().Keys.Count);
        // init repairs what the crash left behind (a stale jwks.json) and the store keeps working.
        Assert.Equal(0, _store.Run(["init", .. Timings]));
        Assert.Equal(_store.Load().ToJwks(_store.Clock.GetUtcNow()).ToUtf8Json(), File.ReadAllBytes(_store.Layout.JwksPath));
        _store.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, _store.Run("rotate"));
    }

    [Fact]
    public void A_crash_inside_a_file_write_leaves_only_a_stray_temporary_file()
    {
        _store.Run(["init", .. Timings]);
        File.WriteAllText(Path.Combine(_store.Layout.Directory, ".manifest.json.0123.tmp"), "{ \"formatVersion\": 2, \"ke");

        Assert.Single(_store.Load().Keys);
        Assert.Equal(0, _store.Run("rotate"));
    }

    [Fact]
    public void Two_commands_cannot_hold_the_store_lock_at_once()
    {
        _store.Run(["init", .. Timings]);
        using var held = KeyStoreLock.Acquire(_store.Layout, TimeSpan.Zero, TimeProvider.System);

        var refusal = Assert.Throws<KeyStoreException>(() => KeyStoreLock.Acquire(_store.Layout, TimeSpan.FromMilliseconds(300), TimeProvider.System));

        Assert.Contains("held by another command", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_rotations_at_once_leave_one_new_key_and_a_valid_store()
    {
        _store.Run(["init", .. Timings]);
        using var start = new Barrier(2);

        var exitCodes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return _store.Run("rotate");
        })));

        Assert.Equal([0, KeyStoreCommandLine.Failure], exitCodes.Order());
        Assert.Equal(2, _store.Load().Keys.Count);
    }
}

public sealed class EncryptedKeyStoreTests : IDisposable
{
    // DER of the aes256-CBC OID (2.16.840.1.101.3.4.1.42): present only in PBES2 with AES-256-CBC.
    private static readonly byte[] Aes256CbcOid = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A];

    private readonly KeyStoreHarness _store = new(passphrase: "correct horse battery staple");

    public void Dispose() => _store.Dispose();

    [Fact]
    public void With_a_passphrase_private_keys_are_encrypted_pkcs8_with_aes_256_cbc()
    {
        Assert.Equal(0, _store.Run("init"));
        var kid = _store.Manifest().Keys.Single().Kid;
        var pem = File.ReadAllText(_store.Layout.PrivateKeyPath(kid));

        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", pem, StringComparison.Ordinal);
        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(line => !line.StartsWith("-----", StringComparison.Ordinal))));
        Assert.True(der.AsSpan().IndexOf(Aes256CbcOid) >= 0);
        Assert.Equal(kid, _store.Load().Keys.Single().Kid);
    }

    [Fact]
    public void A_wrong_or_missing_passphrase_is_a_clear_error_never_a_new_key()
    {
        Assert.Equal(0, _store.Run("init"));
        var manifest = File.ReadAllBytes(_store.Layout.ManifestPath);

        var wrong = Assert.Throws<KeyStoreException>(() => KeyStoreReader.Load(_store.Layout, _store.Clock.GetUtcNow(), "wrong"));
        var missing = Assert.Throws<KeyStoreException>(() => KeyStoreReader.Load(_store.Layout, _store.Clock.GetUtcNow(), null));
        using var other = new KeyStoreHarness(passphrase: "wrong");
        Directory.CreateDirectory(other.Layout.Directory);
        foreach (var file in Directory.GetFiles(_store.Layout.Directory))
        {
            File.Copy(file, Path.Combine(other.Layout.Directory, Path.GetFileName(file)));
        }

        Assert.Contains("key-passphrase", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("is encrypted", missing.Message, StringComparison.Ordinal);
        Assert.Equal(KeyStoreCommandLine.Failure, other.Run("init"));
        Assert.Equal(manifest, File.ReadAllBytes(other.Layout.ManifestPath));
    }

    [Fact]
    public void A_reload_reuses_the_keys_already_decrypted_and_decrypts_only_new_ones()
    {
        Assert.Equal(0, _store.Run("init"));
        var known = _store.Load();
        Assert.Equal(0, _store.Run("rotate"));

        // Without a passphrase only the known key can be had; the new one must be decrypted.
        Assert.Throws<KeyStoreException>(() => KeyStoreReader.Load(_store.Layout, _store.Clock.GetUtcNow(), passphrase: null, known));
        var reloaded = KeyStoreReader.Load(_store.Layout, _store.Clock.GetUtcNow(), _store.Passphrase, known);

        Assert.Same(known.Keys.Single().PrivateKey, reloaded.Keys[0].PrivateKey);
        Assert.Equal(2, reloaded.Keys.Count);
    }

    [Fact]
    public void Setting_a_passphrase_on_a_plain_store_encrypts_its_keys_in_place()
    {
        using var plain = new KeyStoreHarness();
        Assert.Equal(0, plain.Run("init"));
        var kid = plain.Manifest().Keys.Single().Kid;
        Directory.CreateDirectory(_store.Layout.Directory);
        foreach (var file in Directory.GetFiles(plain.Layout.Directory))
        {
            File.Copy(file, Path.Combine(_store.Layout.Directory, Path.GetFileName(file)));
        }

        Assert.Equal(0, _store.Run("init"));

        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(_store.Layout.PrivateKeyPath(kid)), StringComparison.Ordinal);
        Assert.True(_store.Load().Keys.Single().EncryptedAtRest);
        Assert.Equal(kid, _store.Load().Keys.Single().Kid);
    }
}
