namespace ContainerTools.Core.Isolation;

/// <summary>
/// Linux capability names (CAP_*, numbered as in linux/capability.h) and the set Docker and Podman give a
/// container by default. Names are case-insensitive and the CAP_ prefix is optional, as in docker --cap-add.
/// </summary>
public static class Capability
{
    /// <summary>Every capability this engine knows, indexed by its number.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>Docker's and Podman's default bounding, permitted and effective set for a container.</summary>
    public static readonly IReadOnlyList<string> DockerDefault =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ];

    private static readonly Dictionary<string, int> Numbers =
        All.Select((name, number) => (name, number)).ToDictionary(p => p.name, p => p.number, StringComparer.OrdinalIgnoreCase);

    /// <summary>The canonical CAP_* name of <paramref name="name"/> ("sys_admin", "CAP_SYS_ADMIN", "Sys_Admin").</summary>
    /// <exception cref="EngineException">UnknownCapability (InvalidArgument) for a name that is not a capability.</exception>
    public static string Parse(string name)
    {
        string trimmed = name.Trim();
        string withPrefix = trimmed.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? trimmed : "CAP_" + trimmed;
        return Numbers.TryGetValue(withPrefix, out int number)
            ? All[number]
            : throw new EngineException("UnknownCapability", ErrorKind.InvalidArgument, name,
                $"'{name}' is not a Linux capability. Known capabilities: {string.Join(", ", All.Select(c => c[4..]))}, or ALL.");
    }

    /// <summary>The capability's bit number for capset(2) and the bounding set.</summary>
    public static int Number(string name) => Numbers[Parse(name)];
}
