using ContainerTools.Core.Native;
using System.Globalization;

namespace ContainerTools.Core.Isolation.Cgroups.V1;

/// <summary>A group present in each v1 hierarchy; each controller's files live in its own hierarchy's directory.</summary>
internal sealed class CgroupV1 : ICgroup
{
    /// <summary>memory.limit_in_bytes reads back as this (page-rounded LONG_MAX) or more when unlimited.</summary>
    private const long Unlimited = 0x7FFFFFFFFFFFF000;

    private readonly Dictionary<string, CgroupTree> _trees;

    public CgroupV1(string relativePath, IReadOnlyDictionary<string, string> mounts)
    {
        RelativePath = relativePath;
        _trees = mounts.ToDictionary(m => m.Key, m => new CgroupTree(m.Value, relativePath));
    }

    public string RelativePath { get; }

    /// <summary>One tree per mounted hierarchy (cpu and cpuacct may share one).</summary>
    public IEnumerable<CgroupTree> Hierarchies => _trees.Values.DistinctBy(t => t.Root);

    public void AddProcess(int pid)
    {
        foreach (var tree in Hierarchies)
            ControlFile.Write(Path.Combine(tree.Directory, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Programs the devices controller, where it is mounted: every device, or the standard ones alone (all denied,
    /// then <see cref="DeviceAccess.Standard"/> allowed, as runc does). The group's processes (a spare init
    /// waiting for its container) have opened nothing since their birth that the standard set lacks.
    /// </summary>
    public void OpenDevices(bool all)
    {
        if (!_trees.TryGetValue("devices", out var tree))
            return;
        if (all)
        {
            ControlFile.Write(Path.Combine(tree.Directory, "devices.allow"), "a");
            return;
        }
        ControlFile.Write(Path.Combine(tree.Directory, "devices.deny"), "a");
        foreach (string line in DeviceAccess.Standard)
            ControlFile.Write(Path.Combine(tree.Directory, "devices.allow"), line);
    }

    public IReadOnlyList<string> ThreadEntries => Hierarchies.Select(tree => Path.Combine(tree.Directory, "tasks")).ToList();

    public IDisposable EnterThisThread() => new ThreadVisit(_trees.DistinctBy(t => t.Value.Root).Select(t => (t.Key, t.Value)));

    public void Update(ResourceLimits limits)
    {
        ResourceLimitsValidator.Validate(limits);
        DropThrottles("blkio.throttle.read_bps_device", limits.DeviceReadBps);
        DropThrottles("blkio.throttle.write_bps_device", limits.DeviceWriteBps);
        Apply(CgroupV1Settings.For(limits));
    }

    /// <summary>
    /// Removes the throttle of each device <paramref name="rates"/> no longer names (a rate of 0 removes a v1 rule):
    /// new rates replace the old list, and writing them alone would leave a dropped device throttled.
    /// </summary>
    private void DropThrottles(string file, IReadOnlyList<DeviceRate>? rates)
    {
        string path = File("blkio", file);
        var kept = (rates ?? []).Select(rate => BlockDevice.Number(rate.Device)).ToHashSet(StringComparer.Ordinal);
        foreach (string line in (ControlFile.ReadIfExists(path) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string device = line.Split(' ')[0];
            if (!kept.Contains(device))
                ControlFile.Write(path, device + " 0");
        }
    }

    public void Apply(IReadOnlyList<CgroupSetting> settings)
    {
        var pending = settings.ToList();
        var memory = pending.FirstOrDefault(s => s.File == "memory.limit_in_bytes");
        var memorySwap = pending.FirstOrDefault(s => s.File == "memory.memsw.limit_in_bytes");
        if (memory is not null && memorySwap is not null && RaisesAboveMemorySwap(memory))
        {
            // The kernel keeps memory <= memory+swap at every step: raising both must widen memory+swap first.
            pending.Remove(memorySwap);
            pending.Insert(0, memorySwap);
        }
        foreach (var setting in pending)
        {
            try
            {
                setting.WriteTo(Directory(setting.Controller));
            }
            catch (NativeCallException e) when (e.Errno == Errno.EBUSY && setting == memory)
            {
                // v1 refuses a limit it cannot reclaim down to (v2 would OOM-kill instead).
                throw new EngineException("MemoryLimitBelowUsage", ErrorKind.InvalidOperation, setting.Value,
                    $"Memory {ByteSize.Format(long.Parse(setting.Value, CultureInfo.InvariantCulture))} is below what cgroup {RelativePath} uses now ({ByteSize.Format(ReadUsage().MemoryBytes)}) and the kernel cannot reclaim enough.", e);
            }
        }
    }

    public ResourceUsage ReadUsage()
    {
        long memoryUsage = Read("memory", "memory.usage_in_bytes") ?? 0;
        long inactiveFile = ControlFile.ReadKey(File("memory", "memory.stat"), "total_inactive_file") ?? 0;
        long? memoryLimit = Read("memory", "memory.limit_in_bytes");
        var (blockRead, blockWrite) = BlockIo();
        return new ResourceUsage(
            CpuNanoseconds: Read("cpuacct", "cpuacct.usage") ?? 0,
            CpuThrottledPeriods: ControlFile.ReadKey(File("cpu", "cpu.stat"), "nr_throttled") ?? 0,
            MemoryBytes: Math.Max(0, memoryUsage - inactiveFile),
            MemoryLimitBytes: memoryLimit >= Unlimited ? null : memoryLimit,
            Pids: Read("pids", "pids.current") ?? ProcessIds().Count,
            PidsLimit: Read("pids", "pids.max"),
            BlockReadBytes: blockRead,
            BlockWriteBytes: blockWrite,
            ReadAt: DateTimeOffset.UtcNow);
    }

    public void Freeze()
    {
        string state = File("freezer", "freezer.state");
        ControlFile.Write(state, "FROZEN");
        // Tasks that were busy (in the kernel, forking) can stay FREEZING; asking again completes it.
        GroupProcesses.WaitFor(() => IsFrozen, $"cgroup {RelativePath} to freeze", () => ControlFile.Write(state, "FROZEN"));
    }

    public void Thaw() => ControlFile.Write(File("freezer", "freezer.state"), "THAWED");

    public bool IsFrozen => _trees.ContainsKey("freezer") && ControlFile.Read(File("freezer", "freezer.state")) == "FROZEN";

    public IReadOnlyList<int> ProcessIds()
    {
        var tree = _trees.GetValueOrDefault("freezer") ?? Hierarchies.First();
        return tree.Exists ? ControlFile.ReadPids(Path.Combine(tree.Directory, "cgroup.procs")) : [];
    }

    public bool OomKilled => (ControlFile.ReadKey(File("memory", "memory.oom_control"), "oom_kill") ?? 0) > 0;

    public void KillAll()
    {
        if (_trees.ContainsKey("freezer"))
            GroupProcesses.FreezeAndKill(this);
        else
            GroupProcesses.Kill(ProcessIds());
    }

    public void Delete()
    {
        if (!Hierarchies.Any(t => t.Exists))
            return;
        // The usual case, a monitor deleting the group of a container that ended: no process is left to fork,
        // so no freeze (a write, polls of freezer.state and a thaw on every container's end).
        if (ProcessIds().Count > 0)
            KillAll();
        GroupProcesses.WaitUntilEmpty(this);
        foreach (var tree in Hierarchies)
            tree.Remove();
    }

    private bool RaisesAboveMemorySwap(CgroupSetting memory)
    {
        long? current = Read("memory", "memory.memsw.limit_in_bytes");
        return current is long limit && long.Parse(memory.Value, CultureInfo.InvariantCulture) > limit;
    }

    private string Directory(string controller) => _trees[controller].Directory;

    /// <summary>A file of a controller's group; for a controller not mounted, a path that reads as absent.</summary>
    private string File(string controller, string file) =>
        _trees.TryGetValue(controller, out var tree) ? Path.Combine(tree.Directory, file) : "/nonexistent/" + file;

    private long? Read(string controller, string file)
    {
        string? text = ControlFile.ReadIfExists(File(controller, file));
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : null;
    }

    /// <summary>Bytes read and written, summed over devices, from "maj:min Read N" lines.</summary>
    private (long Read, long Write) BlockIo()
    {
        string path = File("blkio", "blkio.throttle.io_service_bytes_recursive");
        long read = 0, write = 0;
        if (!System.IO.File.Exists(path))
            return (0, 0);
        foreach (string line in System.IO.File.ReadLines(path))
        {
            string[] fields = line.Split(' ');
            if (fields.Length != 3 || !long.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out long bytes))
                continue;
            if (fields[1] == "Read")
                read += bytes;
            else if (fields[1] == "Write")
                write += bytes;
        }
        return (read, write);
    }
}
