using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Options;
using AspireJwks.KeyStore;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// Auth's start-up loader facing a tampered copy of the store the bootstrapper wrote: it refuses
/// to start, naming the file, instead of serving or signing with keys it cannot trust.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class TamperedKeyStoreTests(AppHostFixture fixture) : IDisposable
{
    private readonly TemporaryDirectory _copy = new();

    [Fact]
    public async Task The_untampered_copy_loads()
    {
        var keys = await LoadAsync(CopyStore());

        Assert.NotNull(keys.Current.SigningCredentials);
    }

    [Theory]
    [InlineData("d")]
    [InlineData("p")]
    [InlineData("qi")]
    [InlineData("k")]
    public async Task Auth_refuses_a_jwks_file_with_private_members(string member)
    {
        var store = CopyStore();
        var jwks = JsonNode.Parse(await File.ReadAllTextAsync(store.JwksPath))!;
        jwks["keys"]![0]![member] = "AQAB";
        await File.WriteAllTextAsync(store.JwksPath, jwks.ToJsonString());

        var error = await Assert.ThrowsAsync<KeyStoreException>(() => LoadAsync(store));

        Assert.Contains(store.JwksPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_refuses_a_jwks_file_with_a_symmetric_key()
    {
        var store = CopyStore();
        var jwks = JsonNode.Parse(await File.ReadAllTextAsync(store.JwksPath))!;
        jwks["keys"]!.AsArray().Add(new JsonObject { ["kty"] = "oct", ["kid"] = "shared", ["use"] = "sig", ["alg"] = "HS256" });
        await File.WriteAllTextAsync(store.JwksPath, jwks.ToJsonString());

        await Assert.ThrowsAsync<KeyStoreException>(() => LoadAsync(store));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    public async Task Auth_refuses_a_private_key_readable_by_others(UnixFileMode mode)
    {
        var store = CopyStore();
        var privateKey = Directory.GetFiles(store.Directory, "*.private.pem").Single();
        File.SetUnixFileMode(privateKey, mode);

        var error = await Assert.ThrowsAsync<KeyStoreException>(() => LoadAsync(store));

        Assert.Contains(privateKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_refuses_an_rsa_key_under_2048_bits()
    {
        var store = CopyStore();
        var oldKid = Path.GetFileName(Directory.GetFiles(store.Directory, "*.private.pem").Single()).Split('.')[0];
        using var weak = RSA.Create(1024);
        var newKid = PublicJwk.FromKey(weak, "RS256").Kid;
        // The weak key replaces the real one everywhere, consistently, as a tamperer would do it.
        File.Delete(store.PrivateKeyPath(oldKid));
        File.Delete(store.PublicKeyPath(oldKid));
        await File.WriteAllTextAsync(store.PrivateKeyPath(newKid), weak.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(store.PrivateKeyPath(newKid), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(store.PublicKeyPath(newKid), weak.ExportSubjectPublicKeyInfoPem());
        foreach (var file in new[] { store.ManifestPath, store.JwksPath })
        {
            await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace(oldKid, newKid, StringComparison.Ordinal));
        }

        var error = await Assert.ThrowsAsync<KeyStoreException>(() => LoadAsync(store));

        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _copy.Dispose();

    private KeyStoreLayout CopyStore()
    {
        var directory = _copy.Combine("keys");
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(fixture.KeysDirectory))
        {
            var target = Path.Combine(directory, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
        return new KeyStoreLayout(directory);
    }

    private static async Task<SigningKeyRing> LoadAsync(KeyStoreLayout store)
    {
        var keyRing = new SigningKeyRing(TimeProvider.System, NullLogger<SigningKeyRing>.Instance);
        var options = Microsoft.Extensions.Options.Options.Create(new AuthOptions { KeysDirectory = store.Directory });
        var loader = new KeyStoreLoader(keyRing, options, Microsoft.Extensions.Options.Options.Create(new KeyStoreOptions()),
            TimeProvider.System, NullLogger<KeyStoreLoader>.Instance);
        await loader.StartAsync(CancellationToken.None);
        return keyRing;
    }
}
