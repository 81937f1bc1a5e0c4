using System.Net;
using System.Net.Sockets;

namespace AspireJwks.Tests.Support;

/// <summary>Ports on 127.0.0.1 for servers a test starts itself.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listens on now: the system's pick for a listener opened and closed at once.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
