using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>
/// A layer directory as a detached id-mapped mount: through it, files the host stores as owned by 0 appear
/// owned by the user namespace's 0 (the container's slice on the host), so image files are root's inside
/// without a chown copy. Only host root can make one (the file system's owner is the initial namespace);
/// the init attaches it in its own mount namespace (overlay refuses a detached tree as a lower directory).
/// </summary>
public static class IdMappedLayer
{
    public static SafeFileHandle Open(string directory, int userNamespaceFd)
    {
        var tree = new SafeFileHandle(Errno.Check(Linux.open_tree(Linux.AT_FDCWD, directory, Linux.OPEN_TREE_CLONE | Linux.OPEN_TREE_CLOEXEC), "open_tree", directory), ownsHandle: true);
        try
        {
            Errno.Check(Linux.mount_setattr_idmap((int)tree.DangerousGetHandle(), userNamespaceFd), "mount_setattr(MOUNT_ATTR_IDMAP)", directory);
            return tree;
        }
        catch
        {
            tree.Dispose();
            throw;
        }
    }

    /// <summary>Mounts <paramref name="tree"/> on the directory <paramref name="target"/> in the caller's mount namespace.</summary>
    public static void Attach(SafeFileHandle tree, string target)
    {
        using var directory = new SafeFileHandle(Errno.Check(Linux.openat(Linux.AT_FDCWD, target, Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0), "open", target), ownsHandle: true);
        Errno.Check(Linux.move_mount((int)tree.DangerousGetHandle(), (int)directory.DangerousGetHandle()), "move_mount", target);
    }
}
