namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>The cgroup file systems mounted in this process's mount namespace, read from /proc/self/mountinfo.</summary>
public sealed record CgroupMounts(string? Unified, IReadOnlyDictionary<string, string> V1Controllers)
{
    /// <summary>Controllers a v1 hierarchy can carry; other super options (rw, name=systemd, ...) are not controllers.</summary>
    private static readonly HashSet<string> KnownControllers =
        ["cpu", "cpuacct", "cpuset", "memory", "pids", "blkio", "freezer", "devices", "hugetlb", "net_cls", "net_prio", "perf_event", "rdma", "misc"];

    public static CgroupMounts Read(string mountInfo = "/proc/self/mountinfo") => Parse(File.ReadAllLines(mountInfo));

    public static CgroupMounts Parse(IEnumerable<string> mountInfoLines)
    {
        string? unified = null;
        var controllers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in mountInfoLines)
        {
            // "36 25 0:31 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory"
            string[] fields = line.Split(' ');
            int separator = Array.IndexOf(fields, "-");
            if (separator < 5 || fields.Length < separator + 4)
                continue;
            string mountPoint = Unescape(fields[4]);
            string type = fields[separator + 1];
            if (type == "cgroup2")
                unified ??= mountPoint;
            else if (type == "cgroup")
            {
                foreach (string option in fields[separator + 3].Split(','))
                {
                    if (KnownControllers.Contains(option))
                        controllers.TryAdd(option, mountPoint);
                }
            }
        }
        return new CgroupMounts(unified, controllers);
    }

    private static string Unescape(string field) =>
        field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
