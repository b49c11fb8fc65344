using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// Hides (masked paths) and freezes (read-only paths) parts of /proc and /sys, after pivot_root, where
/// those are the container's own kernel file systems. Paths this kernel lacks are skipped.
/// </summary>
public static class PathMasks
{
    public static void Mask(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
                Errno.Check(Linux.mount("tmpfs", path, "tmpfs", Linux.MS_RDONLY, "size=0"), "mount", path + " (mask)");
            else if (File.Exists(path))
                Errno.Check(Linux.mount("/dev/null", path, null, Linux.MS_BIND, null), "mount", path + " (mask)");
        }
    }

    public static void MakeReadOnly(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (!Path.Exists(path))
                continue;
            Errno.Check(Linux.mount(path, path, null, Linux.MS_BIND | Linux.MS_REC, null), "mount", path + " (read-only)");
            Errno.Check(Linux.mount(null, path, null, Linux.MS_BIND | Linux.MS_REMOUNT | Linux.MS_RDONLY | Linux.MS_NOSUID | Linux.MS_NODEV | Linux.MS_NOEXEC, null),
                "mount", path + " (read-only)");
        }
    }
}
