using System.CommandLine;
using AspireJwks.KeyStore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireJwks.Bootstrapper.Commands;

/// <summary>The command line: <c>init --keys-directory DIR</c>.</summary>
internal static class BootstrapperCommandLine
{
    public const int Success = 0;
    public const int Failure = 1;

    public static RootCommand Build(IServiceProvider services)
    {
        var keysDirectory = new Option<string>("--keys-directory")
        {
            Description = "The key store's directory.",
            Required = true,
        };

        var init = new Command("init", "Create the key store if it is absent, otherwise validate it.") { keysDirectory };
        init.SetAction(parseResult => RunSafely(services, parseResult.GetValue(keysDirectory)!,
            layout => services.GetRequiredService<InitCommand>().Run(layout)));

        return new RootCommand("Creates and manages the AspireJwks signing key store.") { init };
    }

    /// <summary>
    /// Turns every expected failure into one log line naming the path, and a non-zero exit code;
    /// a stack trace would only hide the one thing an operator needs to read.
    /// </summary>
    private static int RunSafely(IServiceProvider services, string directory, Action<KeyStoreLayout> command)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("AspireJwks.Bootstrapper");
        try
        {
            command(new KeyStoreLayout(Path.GetFullPath(directory)));
            return Success;
        }
        catch (KeyStoreException ex)
        {
            logger.LogError("Key store error: {Message}", ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError("Cannot write the key store in {KeysDirectory}: {Message}", directory, ex.Message);
        }
        return Failure;
    }
}
