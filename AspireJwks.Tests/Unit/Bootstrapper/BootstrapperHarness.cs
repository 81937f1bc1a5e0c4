using AspireJwks.KeyStore.Commands;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireJwks.Tests.Unit.Bootstrapper;

/// <summary>Runs the bootstrapper's command line in-process, as the AppHost would run the executable.</summary>
internal static class BootstrapperHarness
{
    public static async Task<int> RunAsync(params string[] args)
    {
        await using var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddKeyStoreCommandServices()
            .BuildServiceProvider();
        return KeyStoreCommandLine.Invoke(services, args);
    }

    /// <summary>Every file of the store with its bytes, to prove that a run changed nothing.</summary>
    public static Dictionary<string, byte[]> Snapshot(string directory) =>
        Directory.GetFiles(directory).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);

    /// <summary>Asserts that <paramref name="directory"/> holds exactly the files of <paramref name="before"/>, byte for byte.</summary>
    public static void AssertUnchanged(string directory, Dictionary<string, byte[]> before)
    {
        var after = Snapshot(directory);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));
    }
}
