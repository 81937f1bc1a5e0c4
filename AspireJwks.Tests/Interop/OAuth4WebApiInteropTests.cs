using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AspireJwks.Tests.Interop;

/// <summary>
/// A client library nobody here wrote, panva's oauth4webapi (npm, pinned in package-lock.json),
/// against the real AppHost: discovery, private_key_jwt with the demo client's generated key, a
/// DPoP-bound token, and a DPoP call the API accepts. Needs Node.js and the npm registry, as
/// .ci/run provides.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class OAuth4WebApiInteropTests(AppHostFixture fixture)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task An_independent_client_gets_a_dpop_bound_token_with_private_key_jwt_and_calls_the_api()
    {
        using var directory = new TemporaryDirectory();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Interop", "oauth4webapi")))
        {
            File.Copy(file, directory.Combine(Path.GetFileName(file)));
        }
        var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], directory.Path, []);
        Assert.True(install.ExitCode == 0, $"npm ci failed: {install.Output}");

        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var key = await model.Resources.OfType<ParameterResource>().Single(parameter => parameter.Name == "client-key").GetValueAsync(CancellationToken.None);
        var run = await RunAsync("node", ["client.mjs"], directory.Path, new Dictionary<string, string>
        {
            ["ISSUER"] = fixture.Issuer,
            ["API_URL"] = new Uri(fixture.App.GetEndpoint("api", "http"), "/protected").ToString(),
            ["CLIENT_ID"] = AppHostFixture.ClientId,
            ["CLIENT_KEY_PEM"] = key!,
        });

        Assert.True(run.ExitCode == 0, $"the oauth4webapi client failed: {run.Output}");
        Assert.Contains("\"token_type\":\"dpop\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("\"status\":200", run.Output, StringComparison.Ordinal);
        Assert.Contains($"\\\"client_id\\\":\\\"{AppHostFixture.ClientId}\\\"", run.Output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, string[] arguments, string directory, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(StepTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output + await error);
    }
}
