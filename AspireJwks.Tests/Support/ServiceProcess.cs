using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AspireJwks.Tests.Support;

/// <summary>
/// The operating-system process of a running service. The orchestrator starts a project as a
/// wrapper (<c>dotnet run</c>) around the service's own executable; faults are done to the latter,
/// the process that listens, as a real crash or freeze would hit it.
/// </summary>
public static class ServiceProcess
{
    /// <summary>The pid of <paramref name="resource"/>'s own executable (e.g. <c>AspireJwks.Auth</c>).</summary>
    public static int Find(DistributedApplication app, string resource, string executableName)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resource, out var state), $"{resource} is not known");
        var root = int.Parse(state!.Snapshot.Properties.Single(property => property.Name == "executable.pid").Value!.ToString()!, CultureInfo.InvariantCulture);
        return Descendants(root).Prepend(root).Single(pid => Command(pid) == executableName[..Math.Min(15, executableName.Length)]);
    }

    /// <summary>Freezes the process (SIGSTOP): its sockets still accept, nothing answers. The realistic hang.</summary>
    public static void Pause(int pid) => Signal("STOP", pid);

    public static void Resume(int pid) => Signal("CONT", pid);

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static IEnumerable<int> Descendants(int root)
    {
        var parents = Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => (Pid: int.Parse(name!, CultureInfo.InvariantCulture), Parent: Parent(int.Parse(name!, CultureInfo.InvariantCulture))))
            .Where(process => process.Parent > 0)
            .ToLookup(process => process.Parent, process => process.Pid);
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out var pid))
        {
            foreach (var child in parents[pid])
            {
                yield return child;
                pending.Enqueue(child);
            }
        }
    }

    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read around the last ')'.
    private static int Parent(int pid) =>
        ReadStat(pid) is { } stat && stat[(stat.LastIndexOf(')') + 2)..].Split(' ') is [_, var parent, ..]
            ? int.Parse(parent, CultureInfo.InvariantCulture)
            : 0;

    private static string? Command(int pid) =>
        ReadStat(pid) is { } stat ? stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')] : null;

    private static string? ReadStat(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            // The process ended meanwhile.
            return null;
        }
    }
}
