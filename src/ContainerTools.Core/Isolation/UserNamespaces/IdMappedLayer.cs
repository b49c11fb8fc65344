using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>
/// A layer directory as a detached id-mapped mount: through it, files the host stores as owned by 0 appear
/// owned by the user namespace's 0 (the container's slice on the host), so image files are root's inside
/// without a chown copy. Only host root can make one (the file system's owner is the initial namespace);
/// the init attaches it in its own mount namespace (move_mount) before mounting the overlay.
/// </summary>
public static class IdMappedLayer
{
    public static SafeFileHandle Open(string directory, int userNamespaceFd)
    {
        var tree = new SafeFileHandle(Errno.Check(Linux.open_tree(-100, directory, Linux.OPEN_TREE_CLONE | Linux.OPEN_TREE_CLOEXEC), "open_tree", directory), ownsHandle: true);
        try
        {
            var attr = new Linux.MountAttr { AttrSet = Linux.MOUNT_ATTR_IDMAP, UsernsFd = (ulong)userNamespaceFd };
            Errno.Check(Linux.mount_setattr((int)tree.DangerousGetHandle(), "", (uint)Linux.AT_EMPTY_PATH, attr), "mount_setattr(MOUNT_ATTR_IDMAP)", directory);
            return tree;
        }
        catch
        {
            tree.Dispose();
            throw;
        }
    }

    /// <summary>Mounts <paramref name="tree"/> on <paramref name="target"/> in the caller's mount namespace.</summary>
    public static void Attach(SafeFileHandle tree, string target) =>
        Errno.Check(Linux.move_mount((int)tree.DangerousGetHandle(), "", -100, target, Linux.MOVE_MOUNT_F_EMPTY_PATH), "move_mount", target);
}
