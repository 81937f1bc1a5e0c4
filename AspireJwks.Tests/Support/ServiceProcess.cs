using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;

namespace AspireJwks.Tests.Support;

/// <summary>
/// The operating-system process of a running service. The orchestrator starts a project as
/// <c>dotnet run</c>, which runs the service's own executable as its one child; faults are done to
/// that child, the process that listens, as a real crash or freeze would hit it.
/// </summary>
public static class ServiceProcess
{
    /// <summary>The pid of the <c>dotnet run</c> wrapper the orchestrator started for <paramref name="resource"/>.</summary>
    public static int Wrapper(DistributedApplication app, string resource)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resource, out var state), $"{resource} is not known");
        return int.Parse(state!.Snapshot.Properties.Single(property => property.Name == "executable.pid").Value!.ToString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>The pid of <paramref name="resource"/>'s own executable.</summary>
    public static int Find(DistributedApplication app, string resource) =>
        Assert.Single(LinuxProcesses.ChildrenOf(Wrapper(app, resource)));

    /// <summary>Freezes the process (SIGSTOP): its sockets still accept, nothing answers. The realistic hang.</summary>
    public static void Pause(int pid) => Signal("STOP", pid);

    public static void Resume(int pid) => Signal("CONT", pid);

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
