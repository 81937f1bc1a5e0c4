using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Playwright;

namespace AspireJwks.Tests.Support;

/// <summary>
/// The Chromium the dashboard browser tests drive, found or obtained once per test run so that
/// <c>dotnet test</c> passes on a bare machine: the browser <see cref="EnvironmentVariable"/> names,
/// else Debian's <see cref="DebianPath"/>, else (as root) Debian's <c>chromium</c> package installed
/// with apt-get, else Playwright's own download. When none is possible the test fails saying what to
/// install.
/// </summary>
public static class ChromiumExecutable
{
    /// <summary>Names a Chromium or Chrome executable to use instead of Debian's.</summary>
    public const string EnvironmentVariable = "ASPIREJWKS_CHROMIUM";

    public const string DebianPath = "/usr/bin/chromium";

    private const string AptInstallCommand = "sudo apt-get update && sudo apt-get install -y chromium";

    // Generous for a ~100 MB download on a slow mirror, but finite: a hung install fails the test instead of the run.
    private static readonly TimeSpan AptTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan DpkgLockWait = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PlaywrightTimeout = TimeSpan.FromMinutes(5);

    // Lazy's default mode runs the search once for the whole process: tests that start together
    // share one answer, and two apt-get installs never run at once.
    private static readonly Lazy<Task<string>> Found = new(FindOrObtainAsync);

    public static Task<string> GetPathAsync() => Found.Value;

    private static async Task<string> FindOrObtainAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } named)
        {
            return File.Exists(named)
                ? named
                : throw new InvalidOperationException($"{EnvironmentVariable} is {named}, which does not exist: point it to a Chromium or Chrome executable, or unset it.");
        }
        if (File.Exists(DebianPath))
        {
            return DebianPath;
        }
        var aptFailure = await InstallDebianPackageAsync();
        if (aptFailure is null)
        {
            return DebianPath;
        }
        var (downloaded, downloadFailure) = await DownloadWithPlaywrightAsync();
        return downloaded ?? throw new InvalidOperationException(
            $"""
            No Chromium for the dashboard browser tests: {DebianPath} does not exist and {EnvironmentVariable} is not set;
            apt-get: {aptFailure};
            Playwright's own browser: {downloadFailure}.
            Install Debian's chromium package:            {AptInstallCommand}
            (or run the tests as root: they install it themselves),
            or name a Chromium or Chrome on this machine: export {EnvironmentVariable}=/path/to/chromium
            then run dotnet test again.
            """);
    }

    /// <returns>Null once <see cref="DebianPath"/> is installed, else why not.</returns>
    private static async Task<string?> InstallDebianPackageAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return "not tried, the tests do not run as root";
        }
        string[] install = ["install", "-y", "--no-install-recommends", "chromium"];
        var result = await AptGetAsync(install);
        if (result is not null)
        {
            // A fresh machine has no package lists ("Unable to locate package chromium") and an old one
            // may name files the mirror no longer has: refresh them and try once more.
            result = await AptGetAsync(["update"]) ?? await AptGetAsync(install);
        }
        return result ?? (File.Exists(DebianPath) ? null : $"the chromium package installed no {DebianPath}");
    }

    /// <returns>Null when apt-get exits 0, else its last lines or why it did not run.</returns>
    private static async Task<string?> AptGetAsync(string[] arguments)
    {
        // The lock timeout makes apt-get wait while another apt or dpkg (a developer's install) holds the lock.
        var start = new ProcessStartInfo("apt-get", ["-o", $"DPkg::Lock::Timeout={(int)DpkgLockWait.TotalSeconds}", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            return $"apt-get could not be run ({ex.Message})";
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(AptTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return $"apt-get {string.Join(' ', arguments)} did not finish within {AptTimeout.TotalMinutes} minutes";
            }
            var lastLines = string.Join(" | ", $"{await output}{await errors}".Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));
            return process.ExitCode == 0 ? null : $"apt-get {string.Join(' ', arguments)} exited with code {process.ExitCode}: {lastLines}";
        }
    }

    private static async Task<(string? Path, string? Failure)> DownloadWithPlaywrightAsync()
    {
        // Playwright's installer fails within seconds where its download host cannot be resolved or reached.
        int exitCode;
        try
        {
            exitCode = await Task.Run(() => Microsoft.Playwright.Program.Main(["install", "chromium"])).WaitAsync(PlaywrightTimeout);
        }
        catch (TimeoutException)
        {
            return (null, $"playwright install chromium did not finish within {PlaywrightTimeout.TotalMinutes} minutes");
        }
        if (exitCode != 0)
        {
            return (null, $"playwright install chromium exited with code {exitCode} (no internet access to its download host?)");
        }
        using var playwright = await Playwright.CreateAsync();
        return (playwright.Chromium.ExecutablePath, null);
    }
}
