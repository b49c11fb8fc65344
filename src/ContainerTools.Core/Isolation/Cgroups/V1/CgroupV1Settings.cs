using System.Globalization;

namespace ContainerTools.Core.Isolation.Cgroups.V1;

/// <summary>Limits as cgroup v1 control files, per controller hierarchy. Memory comes before memory+swap.</summary>
public static class CgroupV1Settings
{
    public static IReadOnlyList<CgroupSetting> For(ResourceLimits limits)
    {
        var settings = new List<CgroupSetting>();
        if (limits.Memory is long memory)
            settings.Add(new("memory", "memory.limit_in_bytes", Number(memory)));
        if (limits.EffectiveMemorySwap is long swap)
            settings.Add(new("memory", "memory.memsw.limit_in_bytes", Number(swap), Optional: true));
        if (limits.Cpus is double cpus)
        {
            settings.Add(new("cpu", "cpu.cfs_period_us", Number(CpuQuota.PeriodMicroseconds)));
            settings.Add(new("cpu", "cpu.cfs_quota_us", Number(CpuQuota.QuotaMicroseconds(cpus))));
        }
        if (limits.CpuShares is long shares)
            settings.Add(new("cpu", "cpu.shares", Number(shares)));
        if (limits.CpusetCpus is string cpuset)
            settings.Add(new("cpuset", "cpuset.cpus", cpuset));
        if (limits.PidsLimit is long pids)
            settings.Add(new("pids", "pids.max", pids == -1 ? "max" : Number(pids)));
        if (limits.BlkioWeight is int weight)
            settings.Add(new("blkio", "blkio.weight", Number(weight), new("blkio", "blkio.bfq.weight", Number(weight))));
        foreach (var rate in limits.DeviceReadBps ?? [])
            settings.Add(new("blkio", "blkio.throttle.read_bps_device", $"{BlockDevice.Number(rate.Device)} {Number(rate.BytesPerSecond)}"));
        foreach (var rate in limits.DeviceWriteBps ?? [])
            settings.Add(new("blkio", "blkio.throttle.write_bps_device", $"{BlockDevice.Number(rate.Device)} {Number(rate.BytesPerSecond)}"));
        return settings;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
