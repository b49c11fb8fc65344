namespace ContainerTools.Core.Isolation;

/// <summary>Capability names and numbers, and the default set Docker and Podman leave a container.</summary>
public static class Capabilities
{
    private static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>Docker's default: what a container needs to act as root on its own files, and no more.</summary>
    public static readonly IReadOnlyList<string> DockerDefault =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ];

    public static int Number(string name)
    {
        string canonical = name.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? name.ToUpperInvariant() : "CAP_" + name.ToUpperInvariant();
        int number = Array.IndexOf(Names, canonical);
        return number >= 0 ? number
            : throw new EngineException("UnknownCapability", ErrorKind.InvalidArgument, name, $"'{name}' is not a Linux capability");
    }

    /// <summary>A set as the two 32-bit words capset(2) takes.</summary>
    public static ulong Mask(IEnumerable<string> names) => names.Aggregate(0UL, (mask, name) => mask | (1UL << Number(name)));

    /// <summary>The highest capability this kernel knows.</summary>
    public static int LastCap() => int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
