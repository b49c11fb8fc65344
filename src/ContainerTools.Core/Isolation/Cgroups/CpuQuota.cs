namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>-Cpus as the kernel's CFS bandwidth: a quota of microseconds per 100 ms period (Docker's period).</summary>
internal static class CpuQuota
{
    public const long PeriodMicroseconds = 100_000;

    public static long QuotaMicroseconds(double cpus) => (long)Math.Round(cpus * PeriodMicroseconds);
}
