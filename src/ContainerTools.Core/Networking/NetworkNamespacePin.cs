using ContainerTools.Core.Native;
using Tmds.Linux;

namespace ContainerTools.Core.Networking;

/// <summary>
/// Keeps a container's network namespace alive with a bind mount of its nsfs file (as `ip netns` and podman
/// do). The CNI DELs need the namespace (the bridge plugin removes its masquerade rules only when it can
/// enter it), and a pinned path can never name another process's namespace after the pid is reused.
/// </summary>
internal static class NetworkNamespacePin
{
    public static unsafe void Pin(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(target + "\0"))
        {
            int fd = Errno.Check(LibC.open(p, LibC.O_RDONLY | LibC.O_CREAT | LibC.O_CLOEXEC, 0x100 /* 0400 */), "open", target);
            LibC.close(fd);
        }
        Errno.Check(Linux.mount(source, target, null, Linux.MS_BIND, null), "mount", target);
    }

    /// <summary>True when <paramref name="target"/> is a mount point (the pin is in place).</summary>
    public static bool IsPinned(string target) =>
        File.ReadLines("/proc/self/mountinfo").Any(line => MountPoint(line) == target);

    /// <summary>Drops the pin (the namespace dies once no process is left in it) and its file. Idempotent.</summary>
    public static void Unpin(string target)
    {
        while (IsPinned(target))
            Errno.Check(Linux.umount2(target, Linux.MNT_DETACH), "umount2", target);
        if (File.Exists(target))
            File.Delete(target);
    }

    private static string MountPoint(string mountinfoLine) =>
        mountinfoLine.Split(' ')[4].Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
