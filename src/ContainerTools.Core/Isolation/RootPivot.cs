using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// Makes the container's root the process's root with pivot_root, then detaches the old root entirely,
/// so no path (not even /proc/1/root of a host process) leads back to the host's file system.
/// </summary>
public static class RootPivot
{
    public static void Enter(string rootfs)
    {
        Errno.Check(Linux.chdir(rootfs), "chdir", rootfs);
        // pivot_root(".", ".") stacks the old root under the new one; unmounting "." then drops it.
        Errno.Check(Linux.pivot_root(".", "."), "pivot_root", rootfs);
        Errno.Check(Linux.mount(null, ".", null, Linux.MS_REC | Linux.MS_SLAVE, null), "mount", "old root (make rslave)");
        Errno.Check(Linux.umount2(".", Linux.MNT_DETACH), "umount2", "old root");
        Errno.Check(Linux.chdir("/"), "chdir", "/");
    }
}
