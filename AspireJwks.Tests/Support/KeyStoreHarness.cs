using System.CommandLine;
using AspireJwks.KeyStore;
using AspireJwks.KeyStore.Commands;
using AspireJwks.KeyStore.Writing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AspireJwks.Tests.Support;

/// <summary>The bootstrapper's command line run in-process on a temporary store, with a fake clock.</summary>
internal sealed class KeyStoreHarness : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly ServiceProvider _services;
    private readonly StringWriter _output = new();
    private readonly StringWriter _errors = new();

    public KeyStoreHarness(string? passphrase = null)
        : this(passphrase, new KeyStoreFiles())
    {
    }

    /// <param name="files">The store's file operations: a test's own to see or interrupt each of them.</param>
    internal KeyStoreHarness(string? passphrase, IKeyStoreFiles files)
    {
        Passphrase = passphrase;
        Layout = new KeyStoreLayout(_directory.Combine("keys"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [KeyStoreWriter.PassphraseKey] = passphrase })
            .Build();
        _services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging())
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton<IConfiguration>(configuration)
            .AddKeyStoreCommandServices()
            .AddSingleton(files)
            .BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));

    public KeyStoreLayout Layout { get; }

    public string? Passphrase { get; }

    /// <summary>What the commands printed on standard output.</summary>
    public string Output => _output.ToString();

    /// <summary>What the command line printed on standard error (its parse errors).</summary>
    public string Errors => _errors.ToString();

    /// <summary>Every line the commands logged, with its level and category.</summary>
    public FakeLogCollector Logs => _services.GetFakeLogCollector();

    internal T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>
    /// Runs <c>COMMAND ARGS --keys-directory STORE</c> (the option goes before a <c>--</c>, as the
    /// AppHost puts it) and returns the exit code.
    /// </summary>
    public int Run(params string[] args) => RunIn(Layout.Directory, args);

    /// <summary>As <see cref="Run"/>, with <paramref name="keysDirectory"/> as the option's value.</summary>
    public int RunIn(string keysDirectory, params string[] args)
    {
        var options = args.TakeWhile(arg => arg != "--");
        return KeyStoreCommandLine.Invoke(_services,
            [.. options, "--keys-directory", keysDirectory, .. args.Skip(options.Count())],
            new InvocationConfiguration { Output = _output, Error = _errors });
    }

    public LoadedKeyStore Load() => KeyStoreReader.Load(Layout, Clock.GetUtcNow(), Passphrase);

    public KeyStoreManifest Manifest() => KeyStoreReader.ReadManifest(Layout.ManifestPath);

    public void Dispose()
    {
        _services.Dispose();
        _output.Dispose();
        _errors.Dispose();
        _directory.Dispose();
    }
}
