using System.CommandLine;
using System.CommandLine.Invocation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireJwks.KeyStore.Commands;

/// <summary>The command line: <c>init</c>, <c>rotate</c>, <c>revoke KID</c> and <c>list</c>, each with <c>--keys-directory DIR</c>.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class KeyStoreCommandLine
{
    /// <summary>The command ran and did what it says.</summary>
    public const int Success = 0;

    /// <summary>The command ran and failed; the store is as it was, or loadable and repaired by the next command.</summary>
    public const int Failure = 1;

    /// <summary>
    /// No command ran: the command line was not understood, or it asked for help, the version or a
    /// directive. Never 0, because scripts and the dashboard read 0 as "the store action happened".
    /// </summary>
    public const int Usage = 2;

    /// <summary>Parses <paramref name="args"/> and runs the command they name.</summary>
    public static int Invoke(IServiceProvider services, IReadOnlyList<string> args, InvocationConfiguration? invocation = null)
    {
        // Response files (@FILE) stay off: a kid of "@/etc/passwd" is a malformed kid, not a file to read.
        var parse = Build(services).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Action is ParseErrorAction errors)
        {
            // The error itself, one line each: a page of help would bury it in the dashboard's output.
            errors.ShowHelp = false;
        }
        var exitCode = parse.Invoke(invocation);
        return parse.Action is not null && parse.Action == parse.CommandResult.Command.Action ? exitCode : Usage;
    }

    private static RootCommand Build(IServiceProvider services)
    {
        var keysDirectory = new Option<string>("--keys-directory")
        {
            Description = "The key store's directory.",
            Required = true,
            Recursive = true,
        };
        keysDirectory.Validators.Add(result =>
        {
            // Path.GetFullPath throws on an empty path; refused here, it is a usage error of one line.
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError("--keys-directory must name a directory.");
            }
        });
        var defaults = KeyStorePolicy.Default;
        var algorithm = new Option<string>("--signing-algorithm")
        {
            Description = "The algorithm of new keys: RS256, PS256 or ES256.",
            DefaultValueFactory = _ => defaults.SigningAlgorithm,
        };
        algorithm.AcceptOnlyFromAmong([.. SigningAlgorithms.Supported]);
        var rsaKeySize = new Option<int>("--rsa-key-size")
        {
            Description = "The size of new RSA keys: 2048, 3072 or 4096.",
            DefaultValueFactory = _ => defaults.RsaKeySize,
        };
        var propagationDelay = new Option<TimeSpan>("--propagation-delay")
        {
            Description = "How long a new key is published before it signs (hh:mm:ss).",
            DefaultValueFactory = _ => defaults.PropagationDelay,
        };
        var retention = new Option<TimeSpan>("--retention")
        {
            Description = "How long a retired key stays published (hh:mm:ss).",
            DefaultValueFactory = _ => defaults.Retention,
        };
        var kid = new Argument<string>("kid") { Description = "The kid of the key to revoke, as list prints it." };
        kid.Validators.Add(result =>
        {
            // Checked before anything runs; the value is not echoed, as it may hold anything, newlines included.
            if (!KeyStoreLayout.IsWellFormedKid(result.GetValueOrDefault<string>()))
            {
                result.AddError("A kid is 43 base64url characters (an RFC 7638 JWK thumbprint), as list prints it.");
            }
        });

        var init = new Command("init", "Create the key store if it is absent, otherwise validate it and update its policy.")
        {
            algorithm, rsaKeySize, propagationDelay, retention,
        };
        init.SetAction(parse => RunSafely(services, parse.GetValue(keysDirectory)!, layout =>
            services.GetRequiredService<InitCommand>().Run(layout, new KeyStorePolicy(
                parse.GetValue(algorithm)!, parse.GetValue(rsaKeySize), parse.GetValue(propagationDelay), parse.GetValue(retention)))));

        var rotate = new Command("rotate", "Publish a new key that signs after the propagation delay; the active key then retires.");
        rotate.SetAction(parse => RunSafely(services, parse.GetValue(keysDirectory)!,
            layout => services.GetRequiredService<RotateCommand>().Run(layout)));

        var revoke = new Command("revoke", "Withdraw a key from the JWKS at once; revoking the active key makes another sign immediately.") { kid };
        revoke.SetAction(parse => RunSafely(services, parse.GetValue(keysDirectory)!,
            layout => services.GetRequiredService<RevokeCommand>().Run(layout, parse.GetValue(kid)!)));

        var list = new Command("list", "Print one line per key: kid, algorithm, state and dates.");
        list.SetAction(parse => RunSafely(services, parse.GetValue(keysDirectory)!,
            layout => services.GetRequiredService<ListCommand>().Run(layout, parse.InvocationConfiguration.Output)));

        return new RootCommand("Creates and manages the AspireJwks signing key store.") { keysDirectory, init, rotate, revoke, list };
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
