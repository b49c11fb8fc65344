namespace ContainerTools.Core.Isolation;

/// <summary>The /proc and /sys paths Docker and Podman hide or make read-only in every container.</summary>
public static class DefaultPaths
{
    public static readonly IReadOnlyList<string> Masked =
    [
        "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/devices/virtual/powercap",
    ];

    public static readonly IReadOnlyList<string> ReadOnly =
    [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ];
}
