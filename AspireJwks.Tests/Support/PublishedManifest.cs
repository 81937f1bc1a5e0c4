using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using AspireJwks.Authentication.ClientCredentials;
using AspireJwks.Protocol.Jwks;

namespace AspireJwks.Tests.Support;

/// <summary>
/// The manifest the AppHost publishes, made once per test class by the command docs/deployment.md
/// gives (what azd runs): <c>dotnet run --project AspireJwks.AppHost -- --publisher manifest
/// --output-path ...</c>. The publishing machine has every secret set, as a developer's machine
/// would, so that a test can look for each value in the file.
/// </summary>
public sealed class PublishedManifest : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(3);

    private readonly TemporaryDirectory _directory = new();

    public string ClientSecret { get; } = "publisher-secret-" + Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public string ClientKey { get; } = ClientSigningKey.Create();

    public string KeyPassphrase { get; } = "publisher-passphrase-" + Convert.ToHexString(Guid.NewGuid().ToByteArray());

    /// <summary>The file as written.</summary>
    public string Text { get; private set; } = "";

    /// <summary>The manifest's <c>resources</c> object.</summary>
    public JsonObject Resources { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var path = _directory.Combine("aspire-manifest.json");
        var start = new ProcessStartInfo("dotnet",
            ["run", "--no-build", "--configuration", Configuration, "--project", Projects.AspireJwks_AppHost.ProjectPath,
                "--", "--publisher", "manifest", "--output-path", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Parameters__client-secret"] = ClientSecret;
        start.Environment["Parameters__client-key"] = ClientKey;
        start.Environment["Parameters__key-passphrase"] = KeyPassphrase;
        // Blank counts as unset: what the user secrets of the machine running the tests hold must not change the manifest.
        start.Environment["Parameters__client-jwks"] = "";
        start.Environment["Parameters__keys-directory"] = "";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(PublishTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(process.ExitCode == 0, $"publishing exited with {process.ExitCode}:\n{await output}\n{await errors}");
        Text = await File.ReadAllTextAsync(path);
        Resources = JsonNode.Parse(Text)!["resources"]!.AsObject();
    }

    public JsonObject Resource(string name) =>
        Resources[name]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"The manifest has no resource '{name}'.");

    /// <summary>A project's environment, name to value.</summary>
    public Dictionary<string, string> Environment(string resource) =>
        Resource(resource)["env"]!.AsObject().ToDictionary(variable => variable.Key, variable => variable.Value!.GetValue<string>());

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    // The tests' build built the AppHost in the same configuration.
    private static string Configuration =>
        typeof(PublishedManifest).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
