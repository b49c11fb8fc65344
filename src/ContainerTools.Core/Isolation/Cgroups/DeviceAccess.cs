namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>
/// The device nodes a container's processes may open, as Docker and runc program the devices controller: by default
/// the standard set alone, and any node may be made but no other opened, so a container (which keeps CAP_MKNOD, as
/// Docker's) that makes a node of the host's disk or kernel log cannot use it; a privileged one, every device.
/// </summary>
public static class DeviceAccess
{
    /// <summary>runc's allowed devices as devices.allow lines: mknod of any node; null, zero, full, random, urandom, tty, console, ptmx, the ptys and tun.</summary>
    public static readonly IReadOnlyList<string> Standard =
    [
        "c *:* m", "b *:* m",
        "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
        "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm",
    ];
}
