using System.Globalization;
using Garnet;
using Microsoft.Extensions.Hosting;
using AspireJwks.Store;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Store;

/// <summary>
/// A real Garnet server in this process, speaking the Redis protocol on a loopback port with a
/// password, as the AppHost runs it (Lua on, nothing persisted), and services built around it the
/// way a service builds them (<c>AddTokenStore</c> with <c>ConnectionStrings:store</c>): each
/// <see cref="NewReplica"/> is a process of its own as far as the store can tell, with its own connection.
/// </summary>
public sealed class InProcessGarnet : IDisposable
{
    private const string Password = "in-process-garnet-password";
    private readonly List<IHost> _replicas = [];
    private GarnetServer? _server;

    private readonly string _memory;
    private readonly string _page;

    /// <param name="memory">The size of its log in memory: when the log is full, its oldest records are dropped.</param>
    /// <param name="page">The size of the log's pages, the unit in which it drops records.</param>
    public InProcessGarnet(string memory = "64m", string page = "1m")
    {
        _memory = memory;
        _page = page;
        Port = LoopbackPorts.Free();
        Start();
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port},password={Password}";

    /// <summary>Starts the server; after <see cref="Stop"/>, on the same port and empty, as a restarted store is.</summary>
    public void Start()
    {
        _server = new GarnetServer(
        [
            "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--auth", "Password", "--password", Password, "--lua",
            "--memory", _memory, "--page", _page, "--index", "1m",
        ]);
        _server.Start();
    }

    /// <summary>Stops the server: its connections close and everything it held is gone.</summary>
    public void Stop()
    {
        _server?.Dispose();
        _server = null;
    }

    /// <summary>
    /// Dates the store's present life as begun long ago, as in a store that has been up for a while:
    /// what a test enters is then judged as replays only, not as possibly older than a restart.
    /// </summary>
    public async Task AgeEpochAsync()
    {
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(ConnectionString);
        await connection.GetDatabase().StringSetAsync(StoreEpoch.Key, StoreEpoch.Begin(DateTimeOffset.UtcNow - TimeSpan.FromHours(1)).ToValue());
    }

    /// <summary>A service's store registrations, as one replica holds them, connected to this server.</summary>
    public IServiceProvider NewReplica(string? connectionString = null, TimeProvider? timeProvider = null)
    {
        var host = StoreReplica.Build(connectionString ?? ConnectionString, timeProvider);
        _replicas.Add(host);
        return host.Services;
    }

    public void Dispose()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }
        Stop();
    }
}
