using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>linux.resources in the engine's terms, so one cgroup driver serves both front ends.</summary>
public static class OciResources
{
    public static ResourceLimits ToLimits(SpecResources? resources)
    {
        if (resources is null)
            return ResourceLimits.None;
        var cpu = resources.Cpu;
        double? cpus = cpu is { Quota: > 0 } ? (double)cpu.Quota.Value / (cpu.Period ?? 100_000) : null;
        return new ResourceLimits(
            Memory: resources.Memory?.Limit is > 0 ? resources.Memory.Limit : null,
            MemorySwap: resources.Memory?.Swap is { } swap && swap != 0 ? swap : null,
            Cpus: cpus,
            CpuShares: cpu?.Shares is > 0 ? (long)cpu.Shares.Value : null,
            CpusetCpus: string.IsNullOrEmpty(cpu?.Cpus) ? null : cpu.Cpus,
            PidsLimit: resources.Pids is { Limit: not 0 } pids ? pids.Limit : null,
            BlkioWeight: resources.BlockIO?.Weight is > 0 ? resources.BlockIO.Weight : null);
    }
}
