using System.Diagnostics;
using System.Text;

namespace AspireJwks.Tests.Support;

/// <summary>The outcome of one <c>dotnet</c> command: its exit code and everything it printed.</summary>
public sealed record DotnetResult(int ExitCode, string Output);

/// <summary>
/// Runs the .NET SDK as a user would from a terminal, outside this test host's own MSBuild
/// environment (a build started from inside a test run would otherwise inherit the paths of the
/// SDK that runs the tests).
/// </summary>
public static class DotnetCommand
{
    public static async Task<DotnetResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        using var process = Start(workingDirectory, new Dictionary<string, string>(), arguments);
        var output = new StringBuilder();
        var reading = Task.WhenAll(
            CopyAsync(process.StandardOutput, output),
            CopyAsync(process.StandardError, output));
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
            await reading;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
        }
        return new DotnetResult(process.ExitCode, output.ToString());
    }

    /// <summary>Starts <c>dotnet</c> with <paramref name="environment"/> added to a clean copy of this process's environment.</summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var inherited in start.Environment.Keys.Where(IsTestHostSetting).ToList())
        {
            start.Environment.Remove(inherited);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }

    private static bool IsTestHostSetting(string name) =>
        name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase);

    private static async Task CopyAsync(StreamReader from, StringBuilder to)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            lock (to)
            {
                to.AppendLine(line);
            }
        }
    }
}
