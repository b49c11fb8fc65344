using System.Globalization;

namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>
/// Refuses limits the kernel would reject or that make no sense, with an InvalidArgument EngineException
/// naming the parameter, before any group is created or changed.
/// </summary>
public static class ResourceLimitsValidator
{
    /// <summary>Below this a process cannot even start (Docker's minimum too).</summary>
    public const long MinimumMemory = 6 * 1024 * 1024;

    /// <summary>The kernel's PID_MAX_LIMIT on 64-bit: pids.max refuses more (EINVAL), which would fail every start.</summary>
    public const long MaximumPids = 4 * 1024 * 1024;

    public static void Validate(ResourceLimits limits)
    {
        if (limits.Memory is long memory && memory < MinimumMemory)
            throw Invalid("Memory", memory, $"Memory {ByteSize.Format(memory)} is below the {ByteSize.Format(MinimumMemory)} a process needs.");
        if (limits.MemorySwap is long swap)
        {
            if (limits.Memory is not long limit)
                throw Invalid("MemorySwap", swap, "MemorySwap limits memory plus swap, so it needs Memory to be set as well.");
            if (swap != -1 && swap < limit)
                throw Invalid("MemorySwap", swap, $"MemorySwap ({ByteSize.Format(swap)}) counts memory plus swap, so it cannot be below Memory ({ByteSize.Format(limit)}); -1 means unlimited swap.");
        }
        if (limits.Cpus is double cpus)
        {
            int online = CpuSet.Online().Count;
            if (!(cpus >= 0.01) || cpus > online)
                throw Invalid("Cpus", cpus, $"Cpus must be between 0.01 and {online}, the CPUs this machine has; {cpus.ToString(CultureInfo.InvariantCulture)} is not.");
        }
        if (limits.CpuShares is long shares && shares is < 2 or > 262144)
            throw Invalid("CpuShares", shares, $"CpuShares must be between 2 and 262144 (1024 is the default); {shares} is not.");
        if (limits.CpusetCpus is string cpuset)
        {
            var online = CpuSet.Online();
            var missing = CpuSet.Parse(cpuset).Where(cpu => !online.Contains(cpu)).ToList();
            if (missing.Count > 0)
                throw Invalid("CpusetCpus", cpuset, $"CpusetCpus names CPU {string.Join(", ", missing)}, which this machine does not have online (it has {File.ReadAllText("/sys/devices/system/cpu/online").Trim()}).");
        }
        if (limits.PidsLimit is long pids && pids != -1 && pids is < 1 or > MaximumPids)
            throw Invalid("PidsLimit", pids, $"PidsLimit must be between 1 and {MaximumPids}, or -1 for unlimited; {pids} is not.");
        if (limits.BlkioWeight is int weight && weight is < 10 or > 1000)
            throw Invalid("BlkioWeight", weight, $"BlkioWeight must be between 10 and 1000; {weight} is not.");
        foreach (var rate in (limits.DeviceReadBps ?? []).Concat(limits.DeviceWriteBps ?? []))
        {
            if (rate.BytesPerSecond < 1)
                throw Invalid("DeviceRate", rate, $"The rate for {rate.Device} must be at least one byte per second.");
            BlockDevice.Number(rate.Device);
        }
    }

    private static EngineException Invalid(string parameter, object value, string message) =>
        new("InvalidLimit," + parameter, ErrorKind.InvalidArgument, value, message);
}
