using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Packages;

/// <summary>
/// A team's own Aspire solution (<c>TeamSolution/</c>) that knows AspireJwks only by its packages:
/// the packages are packed into a local feed under a version of their own, the solution is copied
/// to a temporary folder, made a solution, built, and its AppHost run with the dashboard, whose
/// telemetry the tests read. Nothing of this repository is on the team's paths.
/// </summary>
public sealed partial class TeamSolutionFixture : IAsyncLifetime
{
    private const string BrowserToken = "team-solution-dashboard";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly string[] Projects =
        ["Shop.AppHost", "Shop.ServiceDefaults", "Shop.Keys", "Shop.Issuer", "Shop.Orders", "Shop.Billing", "Shop.Reporter"];

    private readonly TemporaryDirectory _directory = new();
    private readonly string _userSecretsId = Guid.NewGuid().ToString();
    private readonly StringBuilder _appHostOutput = new();
    private Process? _appHost;

    /// <summary><c>dotnet pack</c> of the packages.</summary>
    public DotnetResult Pack { get; private set; } = new(-1, "not run");

    /// <summary><c>dotnet build</c> of the team's solution.</summary>
    public DotnetResult Build { get; private set; } = new(-1, "not run");

    /// <summary>The version the packages were packed with.</summary>
    public string Version { get; private set; } = "";

    /// <summary>A client of the team AppHost's dashboard telemetry API; null when the solution did not get that far.</summary>
    public HttpClient? Telemetry { get; private set; }

    /// <summary>What the team's AppHost printed, for a failure's message.</summary>
    public string AppHostOutput
    {
        get
        {
            lock (_appHostOutput)
            {
                return _appHostOutput.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        var feed = _directory.Combine("feed");
        // A version no earlier run used, so NuGet's package cache never serves an older build.
        var suffix = "team." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        Pack = await DotnetCommand.RunAsync(Repository.Root, CommandTimeout,
            "pack", "AspireJwks.Packages.slnf", "--configuration", "Release", "--output", feed, $"-p:VersionSuffix={suffix}");
        if (Pack.ExitCode != 0)
        {
            return;
        }
        Version = PackedVersion(feed);
        CopyTeamSolution(Path.Combine(AppContext.BaseDirectory, "TeamSolution"), _directory.Path);

        foreach (var step in new[]
        {
            new[] { "new", "sln", "--name", "Shop" },
            ["sln", "Shop.slnx", "add", .. Projects.Select(project => $"{project}/{project}.csproj")],
        })
        {
            var result = await DotnetCommand.RunAsync(_directory.Path, CommandTimeout, step);
            if (result.ExitCode != 0)
            {
                Build = result;
                return;
            }
        }
        Build = await DotnetCommand.RunAsync(_directory.Path, CommandTimeout, "build", "Shop.slnx");
        if (Build.ExitCode != 0)
        {
            return;
        }
        Telemetry = await TestDashboard.LoginAsync(await StartAppHostAsync(), BrowserToken);
    }

    /// <summary>Runs the team's AppHost as <c>dotnet run</c> would, with random ports, and returns its dashboard's address.</summary>
    private async Task<Uri> StartAppHostAsync()
    {
        var dashboard = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var environment = TestDashboard.Arguments(BrowserToken)
            .Select(argument => argument.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment["DOTNET_ENVIRONMENT"] = "Development";
        // What the testing builder does: no fixed port of the team's may collide with another AppHost here.
        environment["DcpPublisher__RandomizePorts"] = "true";
        _appHost = DotnetCommand.Start(_directory.Path, environment, "run", "--no-build", "--no-launch-profile", "--project", "Shop.AppHost");
        _ = ReadAsync(_appHost.StandardOutput, dashboard);
        _ = ReadAsync(_appHost.StandardError, dashboard);
        try
        {
            return await dashboard.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The team's AppHost printed no dashboard address within {StartTimeout}:\n{AppHostOutput}");
        }
    }

    private async Task ReadAsync(StreamReader output, TaskCompletionSource<Uri> dashboard)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            lock (_appHostOutput)
            {
                _appHostOutput.AppendLine(line);
            }
            if (LoginLine().Match(line) is { Success: true } login)
            {
                dashboard.TrySetResult(new Uri(login.Groups["address"].Value));
            }
        }
    }

    [GeneratedRegex(@"Login to the dashboard at (?<address>https?://[^/\s]+)/login")]
    private static partial Regex LoginLine();

    /// <summary>The team's files with the packed version and a user-secrets id of this run's own.</summary>
    private void CopyTeamSolution(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, File.ReadAllText(file)
                .Replace("$ASPIREJWKS_VERSION$", Version, StringComparison.Ordinal)
                .Replace("$USER_SECRETS_ID$", _userSecretsId, StringComparison.Ordinal));
        }
    }

    private static string PackedVersion(string feed)
    {
        const string Prefix = "AspireJwks.Hosting.";
        var package = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(feed, Prefix + "*.nupkg")));
        return package[Prefix.Length..];
    }

    public async Task DisposeAsync()
    {
        Telemetry?.Dispose();
        if (_appHost is { HasExited: false })
        {
            // SIGTERM lets the AppHost stop its resources, as Ctrl+C in a terminal would.
            using (var term = Process.Start("kill", ["-TERM", _appHost.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _appHost.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _appHost.Kill(entireProcessTree: true);
            }
        }
        _appHost?.Dispose();
        RemoveLeftovers();
        _directory.Dispose();
    }

    /// <summary>The generated secret and key this run kept in user secrets, and the packages it put in NuGet's cache.</summary>
    private void RemoveLeftovers()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        TryDelete(Path.Combine(home, ".microsoft", "usersecrets", _userSecretsId));
        if (Version.Length == 0)
        {
            return;
        }
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(home, ".nuget", "packages");
        foreach (var package in new[] { "protocol", "authentication", "keystore", "issuer", "hosting", "store" })
        {
            TryDelete(Path.Combine(packages, $"aspirejwks.{package}", Version));
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the OS's temporary-file cleaning, or a later run.
        }
    }
}
