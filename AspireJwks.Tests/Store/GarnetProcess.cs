using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AspireJwks.Hosting;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Store;

/// <summary>
/// A Garnet server in a process of its own, started as the AppHost starts the store resource
/// (<c>dotnet tool exec garnet-server</c> at the pinned version): for what a server in this test
/// process cannot show, such as this process's thread pool being busy while the store is not.
/// </summary>
public sealed class GarnetProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _password;

    private GarnetProcess(Process process, int port, string password)
    {
        _process = process;
        _password = password;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port},password={_password}";

    public static async Task<GarnetProcess> StartAsync()
    {
        var port = LoopbackPorts.Free();
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var process = DotnetCommand.Start(Path.GetTempPath(), new Dictionary<string, string>(),
            "tool", "exec", $"garnet-server@{TokenStoreExtensions.GarnetVersion}", "--yes", "--",
            "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--auth", "Password", "--password", password, "--lua");
        // Its output is not needed, but a full pipe would stop it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var garnet = new GarnetProcess(process, port, password);
        try
        {
            // The first run fetches the tool (.ci/run fetches it up front); then it starts in a second or two.
            await Eventually.TrueAsync(() => Accepts(port), TimeSpan.FromMinutes(2), $"garnet-server accepts connections on port {port}");
        }
        catch
        {
            garnet.Dispose();
            throw;
        }
        return garnet;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
    }

    private static async Task<bool> Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
