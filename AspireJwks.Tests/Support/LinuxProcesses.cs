using System.Globalization;
using System.Runtime.InteropServices;

namespace AspireJwks.Tests.Support;

/// <summary>
/// Processes as Linux's /proc shows them: a process's children, its listening ports and connections, its threads, and the earliest instant it can
/// have started. The kernel records a start as clock ticks since boot, rounded down; this adds the
/// boot instant read from the real-time and boot-time clocks to the nanosecond (.NET has no API for
/// either clock's raw value, hence the two libc calls). /proc/stat's <c>btime</c> is whole seconds
/// and would put every start up to a second early: the orchestrator's own start timestamps do that.
/// </summary>
public static class LinuxProcesses
{
    // Indexes into the fields after the command name: proc(5)'s field 4 (ppid) and field 22 (starttime).
    private const int ParentField = 1;
    private const int StartTimeField = 19;

    private const int ClockBootTime = 7;       // CLOCK_BOOTTIME: time since boot, suspends included, as /proc counts.
    private const int ClockTicksPerSecond = 2; // _SC_CLK_TCK

    public static IReadOnlyList<int> ChildrenOf(int pid)
    {
        var parent = pid.ToString(CultureInfo.InvariantCulture);
        return [.. Directory.EnumerateDirectories("/proc")
            .Select(directory => int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var candidate) ? candidate : 0)
            .Where(candidate => candidate > 0 && StatFields(candidate)?[ParentField] == parent)];
    }

    /// <summary>The TCP ports the process listens on (IPv4 and IPv6), from its socket descriptors and /proc/net/tcp.</summary>
    public static IReadOnlySet<int> ListeningPorts(int pid)
    {
        const string Listen = "0A";
        return TcpSockets(pid).Where(socket => socket.State == Listen).Select(socket => socket.LocalPort).ToHashSet();
    }

    /// <summary>How many open TCP connections the process has to <paramref name="port"/> (on any address).</summary>
    public static int ConnectionsTo(int pid, int port)
    {
        const string Established = "01";
        return TcpSockets(pid).Count(socket => socket.State == Established && socket.RemotePort == port);
    }

    /// <summary>The process's threads now (/proc/&lt;pid&gt;/status).</summary>
    public static int ThreadCount(int pid) =>
        int.Parse(File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("Threads:", StringComparison.Ordinal))[8..].Trim(),
            CultureInfo.InvariantCulture);

    private static List<(string State, int LocalPort, int RemotePort)> TcpSockets(int pid)
    {
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var descriptor in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            // Each socket descriptor links to "socket:[<inode>]".
            if (new FileInfo(descriptor).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                sockets.Add(target[8..^1]);
            }
        }
        return File.ReadLines("/proc/net/tcp").Concat(File.ReadLines("/proc/net/tcp6")).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            .Where(fields => fields.Length > 9 && sockets.Contains(fields[9]))
            .Select(fields => (fields[3], Port(fields[1]), Port(fields[2])))
            .ToList();
    }

    private static int Port(string address) =>
        int.Parse(address[(address.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>An instant the process certainly did not start before, as a UTC wall-clock time.</summary>
    public static DateTime EarliestStartUtc(int pid)
    {
        var fields = StatFields(pid) ?? throw new InvalidOperationException($"Process {pid} does not exist.");
        var ticksSinceBoot = long.Parse(fields[StartTimeField], CultureInfo.InvariantCulture);
        // Integer division rounds down, as the kernel did: never later than the real start.
        return EarliestBootUtc() + TimeSpan.FromTicks(ticksSinceBoot * TimeSpan.TicksPerSecond / SysConf(ClockTicksPerSecond));
    }

    /// <remarks>
    /// The wall clock is read first and the boot clock second, so the boot clock has advanced at
    /// least as far and the difference is never later than the real boot instant (nanoseconds are
    /// rounded up for the same reason). Assumes the wall clock was not stepped since the events it
    /// is compared with.
    /// </remarks>
    private static DateTime EarliestBootUtc()
    {
        var now = DateTime.UtcNow;
        if (ClockGetTime(ClockBootTime, out var sinceBoot) != 0)
        {
            throw new InvalidOperationException($"clock_gettime(CLOCK_BOOTTIME) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
        return now - TimeSpan.FromTicks(sinceBoot.Seconds * TimeSpan.TicksPerSecond + (sinceBoot.Nanoseconds + 99) / 100);
    }

    /// <summary>The fields after the command name, which sits in parentheses and may itself hold spaces; null once the process is gone.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static extern int ClockGetTime(int clockId, out Timespec time);

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);
}
