using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>
/// The new mount API (open_tree, mount_setattr, move_mount, fsopen/fsconfig/fsmount): a bind mount is cloned,
/// given its attributes while still detached, and attached to a target named by a descriptor, so no path is
/// resolved twice; a file system can be made as a detached mount that lives exactly as long as its descriptor.
/// glibc 2.36 has no wrappers: they go through syscall(2).
/// </summary>
public static partial class Linux
{
    public const uint OPEN_TREE_CLONE = 1;
    public const uint OPEN_TREE_CLOEXEC = O_CLOEXEC;
    public const uint AT_RECURSIVE = 0x8000;
    public const uint MOVE_MOUNT_F_EMPTY_PATH = 0x04;
    public const uint MOVE_MOUNT_T_EMPTY_PATH = 0x40;

    public const ulong MOUNT_ATTR_RDONLY = 0x1;
    public const ulong MOUNT_ATTR_NOSUID = 0x2;
    public const ulong MOUNT_ATTR_NODEV = 0x4;
    public const ulong MOUNT_ATTR_NOEXEC = 0x8;
    public const ulong MOUNT_ATTR_IDMAP = 0x00100000;

    public const uint FSOPEN_CLOEXEC = 0x1;
    public const uint FSMOUNT_CLOEXEC = 0x1;
    public const uint FSCONFIG_SET_STRING = 1;
    public const uint FSCONFIG_CMD_CREATE = 6;

    private const long SYS_open_tree = 428;
    private const long SYS_fsopen = 430;
    private const long SYS_fsconfig = 431;
    private const long SYS_fsmount = 432;
    private const long SYS_move_mount = 429;
    private const long SYS_mount_setattr = 442;

    [StructLayout(LayoutKind.Sequential)]
    public struct MountAttr
    {
        public ulong AttrSet;
        public ulong AttrClr;
        public ulong Propagation;
        public ulong UsernsFd;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long SyscallOpenTree(long number, int dirfd, byte* path, uint flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long SyscallMoveMount(long number, int fromDirfd, byte* fromPath, int toDirfd, byte* toPath, uint flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long SyscallMountSetattr(long number, int dirfd, byte* path, uint flags, MountAttr* attr, nuint size);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long SyscallFsopen(long number, byte* fsName, uint flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long SyscallFsconfig(long number, int fd, uint command, byte* key, byte* value, int aux);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long SyscallFsmount(long number, int fd, uint flags, ulong attributes);

    public static unsafe int fsopen(string fileSystem)
    {
        fixed (byte* name = NulTerminated(fileSystem))
            return (int)SyscallFsopen(SYS_fsopen, name, FSOPEN_CLOEXEC);
    }

    /// <summary>Sets the string parameter <paramref name="key"/> of the file system context <paramref name="fd"/>.</summary>
    public static unsafe int fsconfig(int fd, string key, string value)
    {
        fixed (byte* k = NulTerminated(key))
        fixed (byte* v = NulTerminated(value))
            return (int)SyscallFsconfig(SYS_fsconfig, fd, FSCONFIG_SET_STRING, k, v, 0);
    }

    /// <summary>Creates the super block of the configured context <paramref name="fd"/>.</summary>
    public static unsafe int fsconfig_create(int fd) =>
        (int)SyscallFsconfig(SYS_fsconfig, fd, FSCONFIG_CMD_CREATE, null, null, 0);

    /// <summary>A detached mount (O_CLOEXEC) of the created context <paramref name="fd"/>, with mount <paramref name="attributes"/>.</summary>
    public static int fsmount(int fd, ulong attributes) =>
        (int)SyscallFsmount(SYS_fsmount, fd, FSMOUNT_CLOEXEC, attributes);

    public static unsafe int open_tree(int dirfd, string path, uint flags)
    {
        fixed (byte* p = NulTerminated(path))
            return (int)SyscallOpenTree(SYS_open_tree, dirfd, p, flags);
    }

    /// <summary>Attaches the detached mount <paramref name="fromFd"/> on the directory or file open as <paramref name="toFd"/>.</summary>
    public static unsafe int move_mount(int fromFd, int toFd)
    {
        byte empty = 0;
        return (int)SyscallMoveMount(SYS_move_mount, fromFd, &empty, toFd, &empty, MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
    }

    /// <summary>Sets <paramref name="attributes"/> on the mount open as <paramref name="fd"/> (and below it when <paramref name="recursive"/>).</summary>
    public static unsafe int mount_setattr(int fd, ulong attributes, bool recursive)
    {
        byte empty = 0;
        var attr = new MountAttr { AttrSet = attributes };
        return (int)SyscallMountSetattr(SYS_mount_setattr, fd, &empty, (uint)AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, (nuint)sizeof(MountAttr));
    }

    /// <summary>Gives the detached mount <paramref name="fd"/> the id mapping of the user namespace open as <paramref name="userNamespaceFd"/>.</summary>
    public static unsafe int mount_setattr_idmap(int fd, int userNamespaceFd)
    {
        byte empty = 0;
        var attr = new MountAttr { AttrSet = MOUNT_ATTR_IDMAP, UsernsFd = (ulong)userNamespaceFd };
        return (int)SyscallMountSetattr(SYS_mount_setattr, fd, &empty, (uint)AT_EMPTY_PATH, &attr, (nuint)sizeof(MountAttr));
    }
}
