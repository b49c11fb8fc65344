using System.Globalization;

namespace ContainerTools.Core.Isolation.Cgroups.V2;

/// <summary>A group in the unified hierarchy: one directory with every controller's files.</summary>
internal sealed class CgroupV2(string relativePath, CgroupTree tree) : ICgroup
{
    public string RelativePath => relativePath;

    public void AddProcess(int pid) =>
        ControlFile.Write(File("cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>v2 moves single threads only inside threaded groups, which a container's is not.</summary>
    public IDisposable? EnterThisThread() => null;

    public IReadOnlyList<string>? ThreadEntries => null;

    public void Update(ResourceLimits limits)
    {
        ResourceLimitsValidator.Validate(limits);
        var settings = CgroupV2Settings.For(limits);
        var enabled = ControlFile.Read(File("cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (string controller in settings.Select(s => s.Controller).Distinct().Except(enabled))
            throw new EngineException("CgroupControllerUnavailable", ErrorKind.ResourceUnavailable, relativePath,
                $"The {controller} controller is not enabled for cgroup {relativePath}, so its limits cannot be changed.");
        DropThrottles(limits);
        Apply(settings);
    }

    /// <summary>
    /// Lifts the byte rates of each device the limits no longer name: new rates replace the old list, and writing
    /// them alone would leave a dropped device throttled (a device still named gets both rates written anew).
    /// </summary>
    private void DropThrottles(ResourceLimits limits)
    {
        var kept = (limits.DeviceReadBps ?? []).Concat(limits.DeviceWriteBps ?? []).Select(rate => BlockDevice.Number(rate.Device)).ToHashSet(StringComparer.Ordinal);
        foreach (string line in (ControlFile.ReadIfExists(File("io.max")) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string device = line.Split(' ')[0];
            if (!kept.Contains(device))
                ControlFile.Write(File("io.max"), device + " rbps=max wbps=max");
        }
    }

    public void Apply(IEnumerable<CgroupSetting> settings)
    {
        foreach (var setting in settings)
            setting.WriteTo(tree.Directory);
    }

    public ResourceUsage ReadUsage()
    {
        long? memory = Read("memory.current");
        long inactiveFile = ControlFile.ReadKey(File("memory.stat"), "inactive_file") ?? 0;
        var (blockRead, blockWrite) = BlockIo();
        return new ResourceUsage(
            CpuNanoseconds: (ControlFile.ReadKey(File("cpu.stat"), "usage_usec") ?? 0) * 1000,
            CpuThrottledPeriods: ControlFile.ReadKey(File("cpu.stat"), "nr_throttled") ?? 0,
            MemoryBytes: Math.Max(0, (memory ?? 0) - inactiveFile),
            MemoryLimitBytes: Read("memory.max"),
            Pids: Read("pids.current") ?? ProcessIds().Count,
            PidsLimit: Read("pids.max"),
            BlockReadBytes: blockRead,
            BlockWriteBytes: blockWrite,
            ReadAt: DateTimeOffset.UtcNow);
    }

    public void Freeze()
    {
        ControlFile.Write(File("cgroup.freeze"), "1");
        GroupProcesses.WaitFor(() => IsFrozen, $"cgroup {relativePath} to freeze");
    }

    public void Thaw() => ControlFile.Write(File("cgroup.freeze"), "0");

    public bool IsFrozen => tree.Exists && ControlFile.ReadKey(File("cgroup.events"), "frozen") == 1;

    public IReadOnlyList<int> ProcessIds() => tree.Exists ? ControlFile.ReadPids(File("cgroup.procs")) : [];

    public bool OomKilled => (ControlFile.ReadKey(File("memory.events"), "oom_kill") ?? 0) > 0;

    public void KillAll()
    {
        // cgroup.kill (Linux 5.14) kills every task, frozen or forking, in one step.
        if (System.IO.File.Exists(File("cgroup.kill")))
            ControlFile.Write(File("cgroup.kill"), "1");
        else
            GroupProcesses.FreezeAndKill(this);
    }

    public void Delete()
    {
        if (!tree.Exists)
            return;
        KillAll();
        GroupProcesses.WaitUntilEmpty(this);
        tree.Remove();
    }

    private string File(string name) => Path.Combine(tree.Directory, name);

    /// <summary>A number, or null for "max" and for a file the group does not have.</summary>
    private long? Read(string name)
    {
        string? text = ControlFile.ReadIfExists(File(name));
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : null;
    }

    /// <summary>Bytes read and written, summed over the devices of io.stat ("maj:min rbytes=N wbytes=N ...").</summary>
    private (long Read, long Write) BlockIo()
    {
        long read = 0, write = 0;
        if (!System.IO.File.Exists(File("io.stat")))
            return (0, 0);
        foreach (string line in System.IO.File.ReadLines(File("io.stat")))
        {
            foreach (string field in line.Split(' ').Skip(1))
            {
                string[] pair = field.Split('=');
                if (pair.Length == 2 && long.TryParse(pair[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long bytes))
                {
                    if (pair[0] == "rbytes")
                        read += bytes;
                    else if (pair[0] == "wbytes")
                        write += bytes;
                }
            }
        }
        return (read, write);
    }
}
