using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AspireJwks.Tests.Support;

/// <summary>One process of a service: the orchestrator's instance id, the service's own pid, and its own (unproxied) address.</summary>
public sealed record ServiceInstance(string InstanceId, int ProcessId, Uri Address);

/// <summary>
/// The operating-system processes of a running service. The orchestrator starts a project as
/// <c>dotnet run</c>, which runs the service's own executable as its one child; faults are done to
/// that child, the process that listens, as a real crash or freeze would hit it.
/// </summary>
public static class ServiceProcess
{
    /// <summary>The pid of the <c>dotnet run</c> wrapper the orchestrator started for <paramref name="resource"/> (or one instance of it).</summary>
    public static int Wrapper(DistributedApplication app, string resource)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resource, out var state), $"{resource} is not known");
        return Wrapper(state!);
    }

    /// <summary>The pid of <paramref name="resource"/>'s own executable.</summary>
    public static int Find(DistributedApplication app, string resource) =>
        Assert.Single(LinuxProcesses.ChildrenOf(Wrapper(app, resource)));

    /// <summary>
    /// Every running replica of <paramref name="resource"/> whose own process already listens, with
    /// the address it listens on.
    /// </summary>
    public static IReadOnlyList<ServiceInstance> Instances(ResourceLogCollector resources, string resource) =>
        [.. resources.InstancesOf(resource)
            .Where(instance => instance.Snapshot.State?.Text == KnownResourceStates.Running)
            .Select(instance => (instance.ResourceId, Processes: LinuxProcesses.ChildrenOf(Wrapper(instance))))
            .Where(instance => instance.Processes.Count == 1)
            .Select(instance => (instance.ResourceId, Process: instance.Processes[0], Ports: LinuxProcesses.ListeningPorts(instance.Processes[0])))
            .Where(instance => instance.Ports.Count > 0)
            .Select(instance => new ServiceInstance(instance.ResourceId, instance.Process, new Uri($"http://127.0.0.1:{instance.Ports.Min()}")))];

    /// <summary>Freezes the process (SIGSTOP): its sockets still accept, nothing answers. The realistic hang.</summary>
    public static void Pause(int pid) => Signal("STOP", pid);

    public static void Resume(int pid) => Signal("CONT", pid);

    /// <summary>Ends the process at once (SIGKILL), as a crash or an out-of-memory kill would.</summary>
    public static void Kill(int pid) => Signal("KILL", pid);

    private static int Wrapper(ResourceEvent state) =>
        int.Parse(state.Snapshot.Properties.Single(property => property.Name == "executable.pid").Value!.ToString()!, CultureInfo.InvariantCulture);

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
