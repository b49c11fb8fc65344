using System.Globalization;

namespace ContainerTools.Core.Isolation.Cgroups.V2;

/// <summary>Limits as cgroup v2 control files, with Docker's v1 units converted the way runc converts them.</summary>
public static class CgroupV2Settings
{
    public static IReadOnlyList<CgroupSetting> For(ResourceLimits limits)
    {
        var settings = new List<CgroupSetting>();
        if (limits.Memory is long memory)
        {
            settings.Add(new("memory", "memory.max", Number(memory)));
            // v2 limits swap alone, v1 (and Docker's MemorySwap) memory plus swap.
            if (limits.EffectiveMemorySwap is long swap)
                settings.Add(new("memory", "memory.swap.max", swap == -1 ? "max" : Number(swap - memory), Optional: true));
        }
        if (limits.Cpus is double cpus)
            settings.Add(new("cpu", "cpu.max", $"{Number(CpuQuota.QuotaMicroseconds(cpus))} {Number(CpuQuota.PeriodMicroseconds)}"));
        if (limits.CpuShares is long shares)
            settings.Add(new("cpu", "cpu.weight", Number(CpuWeight(shares))));
        if (limits.CpusetCpus is string cpuset)
            settings.Add(new("cpuset", "cpuset.cpus", cpuset));
        if (limits.PidsLimit is long pids)
            settings.Add(new("pids", "pids.max", pids == -1 ? "max" : Number(pids)));
        if (limits.BlkioWeight is int weight)
            settings.Add(new("io", "io.bfq.weight", Number(weight), new("io", "io.weight", "default " + Number(IoWeight(weight)))));
        foreach (var (device, rates) in DeviceRates(limits))
            settings.Add(new("io", "io.max", $"{device} {rates}"));
        return settings;
    }

    /// <summary>cpu.shares 2..262144 onto cpu.weight 1..10000.</summary>
    public static long CpuWeight(long shares) => 1 + (shares - 2) * 9999 / 262142;

    /// <summary>blkio.weight 10..1000 onto io.weight 1..10000.</summary>
    public static long IoWeight(int weight) => 1 + (weight - 10) * 9999L / 990;

    /// <summary>
    /// One io.max line per device with both byte rates: a rate the limits do not give is written as "max", so a
    /// rate dropped from the list is lifted rather than left as it was.
    /// </summary>
    private static IEnumerable<(string Device, string Rates)> DeviceRates(ResourceLimits limits)
    {
        var lines = new SortedDictionary<string, (string Read, string Write)>(StringComparer.Ordinal);
        foreach (var rate in limits.DeviceReadBps ?? [])
            lines[BlockDevice.Number(rate.Device)] = (Number(rate.BytesPerSecond), "max");
        foreach (var rate in limits.DeviceWriteBps ?? [])
        {
            string device = BlockDevice.Number(rate.Device);
            lines[device] = (lines.TryGetValue(device, out var rates) ? rates.Read : "max", Number(rate.BytesPerSecond));
        }
        return lines.Select(l => (l.Key, $"rbps={l.Value.Read} wbps={l.Value.Write}"));
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
