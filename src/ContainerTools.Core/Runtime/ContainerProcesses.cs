using System.Globalization;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>One process of a container, as `docker top` shows it; the container's name, so that several containers' processes can be told apart.</summary>
public sealed record ContainerProcessInfo(string ContainerName, int Pid, int HostPid, string User, double CpuPercent, long MemoryBytes, string Command);

/// <summary>
/// The processes of a running container: the members of its cgroup, read from the host's /proc. Pids
/// inside come from NSpid; user names from the container's own /etc/passwd (read inside its root).
/// </summary>
public static class ContainerProcesses
{
    /// <summary>Kernel clock ticks per second (USER_HZ), 100 on every Linux architecture we run on.</summary>
    private const double TicksPerSecond = 100;

    public static IReadOnlyList<ContainerProcessInfo> List(ContainerStore store, string nameOrId)
    {
        var container = store.Find(nameOrId);
        Dictionary<uint, string> users;
        using (var root = ContainerRoot.Open(container))
            users = Users(root);
        var group = Isolation.Cgroups.Cgroups.Detect().Open(Isolation.Cgroups.Cgroups.PathFor(container.Id));
        double uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        var result = new List<ContainerProcessInfo>();
        foreach (int pid in group?.ProcessIds() ?? [])
        {
            if (Read(container.Name, pid, users, uptime) is { } process)
                result.Add(process);
        }
        result.Sort((a, b) => a.Pid.CompareTo(b.Pid));
        return result;
    }

    /// <summary>Null when the process exited while being read.</summary>
    private static ContainerProcessInfo? Read(string containerName, int pid, Dictionary<uint, string> users, double uptime)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status")
                .Select(l => l.Split(':', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1].Trim());
            uint uid = uint.Parse(status["Uid"].Split('\t')[0], CultureInfo.InvariantCulture);
            int inside = int.Parse(status["NSpid"].Split('\t').Last(), CultureInfo.InvariantCulture);
            long memory = status.TryGetValue("VmRSS", out var rss) ? long.Parse(rss.Split(' ')[0], CultureInfo.InvariantCulture) * 1024 : 0;
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14, 15 and 22 of stat (utime, stime, starttime) sit at 11, 12 and 19 after the name.
            double cpuSeconds = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            double elapsed = uptime - double.Parse(fields[19], CultureInfo.InvariantCulture) / TicksPerSecond;
            string cmdline = File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');
            string command = cmdline.Length > 0 ? cmdline : "[" + status["Name"] + "]";
            return new ContainerProcessInfo(containerName, inside, pid, users.GetValueOrDefault(uid, uid.ToString(CultureInfo.InvariantCulture)),
                elapsed > 0 ? Math.Round(100 * cpuSeconds / elapsed, 1) : 0, memory, command);
        }
        catch (Exception e) when (e is IOException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static Dictionary<uint, string> Users(Isolation.RootedPath root)
    {
        try
        {
            return AccountNames.Named(root, "/etc/passwd");
        }
        catch (NativeCallException)
        {
            // An /etc/passwd that cannot be read (its directory is a file, say): uids are shown as numbers.
            return [];
        }
    }
}
