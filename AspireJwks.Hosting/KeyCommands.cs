using System.Reflection;
using AspireJwks.Protocol;

// Process commands are marked for evaluation in Aspire 13.6; they are the API made for running a
// tool from a dashboard button, and only this file would change with them.
#pragma warning disable ASPIREPROCESSCOMMAND001

namespace AspireJwks.Hosting;

/// <summary>
/// The dashboard's buttons on the bootstrapper resource: "Rotate signing key", "Revoke signing
/// key" and "List signing keys". Each runs the bootstrapper's own command as a process, so a click
/// and the command line do exactly the same thing under the same store lock.
/// </summary>
internal static class KeyCommands
{
    public const string Rotate = "rotate-signing-key";
    public const string Revoke = "revoke-signing-key";
    public const string List = "list-signing-keys";
    public const string KidArgument = "kid";

    public static IResourceBuilder<ProjectResource> WithKeyCommands(
        this IResourceBuilder<ProjectResource> bootstrapper, KeyParameters keys)
    {
        var projectPath = bootstrapper.Resource.GetProjectMetadata().ProjectPath;

        bootstrapper.WithProcessCommand(Rotate, "Rotate signing key",
            context => Bootstrapper(projectPath, keys, context, ["rotate"]),
            new ProcessCommandOptions
            {
                Description = "Publish a new key now; it signs after key-propagation-delay and the current key retires then.",
                IconName = "ArrowSync",
                IsHighlighted = true,
            });

        bootstrapper.WithProcessCommand(Revoke, "Revoke signing key",
            context => Bootstrapper(projectPath, keys, context, ["revoke"], operand: context.Arguments.GetString(KidArgument)!),
            new ProcessCommandOptions
            {
                Description = "Withdraw a key from the JWKS at once. Revoking the active key makes another sign immediately.",
                IconName = "ShieldError",
                ConfirmationMessage = "Tokens signed with this key will be rejected within jwks-refresh-interval. Revoke it?",
                Arguments = [new InteractionInput { Name = KidArgument, Label = "Key id (kid)", InputType = InputType.Text, Required = true }],
                ValidateArguments = ValidateKid,
            });

        bootstrapper.WithProcessCommand(List, "List signing keys",
            context => Bootstrapper(projectPath, keys, context, ["list"]),
            new ProcessCommandOptions { Description = "One line per key: kid, algorithm, state and dates.", IconName = "KeyMultiple" });

        return bootstrapper;
    }

    /// <summary>
    /// Refuses, before any process starts, a kid that is not a thumbprint: the value typed in the
    /// dashboard becomes a command-line argument, where "@/etc/passwd" or "--help" would mean
    /// something else. The bootstrapper checks it again; this check lets the dashboard say so at
    /// the input.
    /// </summary>
    private static Task ValidateKid(InputsDialogValidationContext context)
    {
        if (!AccessTokenProtocol.IsThumbprint(context.Inputs.GetString(KidArgument)))
        {
            context.AddValidationError(KidArgument, "A kid is 43 base64url characters (an RFC 7638 JWK thumbprint), as \"List signing keys\" shows it.");
        }
        return Task.CompletedTask;
    }

    /// <param name="operand">A value from the dashboard, passed after <c>--</c> so that it can only ever be an argument, never an option.</param>
    private static async ValueTask<ProcessCommandSpec> Bootstrapper(
        string projectPath, KeyParameters keys,
        ExecuteCommandContext context, IReadOnlyList<string> command, string? operand = null)
    {
        var directory = await keys.KeysDirectory.Resource.GetValueAsync(context.CancellationToken);
        var spec = new ProcessCommandSpec("dotnet")
        {
            // --no-build: the AppHost's build already built the bootstrapper, in the AppHost's configuration.
            Arguments = ["run", "--no-build", "--no-launch-profile", "--configuration", Configuration, "--project", projectPath,
                "--", .. command, "--keys-directory", directory!, .. operand is null ? Array.Empty<string>() : ["--", operand]],
            WorkingDirectory = Path.GetDirectoryName(projectPath),
        };
        if (keys.Passphrase is { } passphrase)
        {
            spec.EnvironmentVariables[ServiceEnvironment.KeyStorePassphrase] = (await passphrase.Resource.GetValueAsync(context.CancellationToken))!;
        }
        return spec;
    }


    private static string Configuration =>
        typeof(KeyCommands).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
