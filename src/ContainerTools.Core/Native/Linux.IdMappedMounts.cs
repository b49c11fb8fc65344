using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>The new mount API for id-mapped mounts: open_tree, mount_setattr, move_mount.</summary>
public static partial class Linux
{
    public const uint OPEN_TREE_CLONE = 1;
    public const uint OPEN_TREE_CLOEXEC = 0x80000;
    public const ulong MOUNT_ATTR_IDMAP = 0x00100000;
    public const uint MOVE_MOUNT_F_EMPTY_PATH = 0x4;

    private const long SYS_open_tree = 428;
    private const long SYS_move_mount = 429;
    private const long SYS_mount_setattr = 442;

    /// <summary>struct mount_attr (MOUNT_ATTR_SIZE_VER0).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MountAttr
    {
        public ulong AttrSet;
        public ulong AttrClear;
        public ulong Propagation;
        public ulong UsernsFd;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall_open_tree(long number, int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long syscall_mount_setattr(long number, int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint flags, MountAttr* attr, nuint size);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall_move_mount(long number, int fromDirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string fromPath, int toDirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string toPath, uint flags);

    public static int open_tree(int dirfd, string path, uint flags) => (int)syscall_open_tree(SYS_open_tree, dirfd, path, flags);

    public static unsafe int mount_setattr(int dirfd, string path, uint flags, MountAttr attr) =>
        (int)syscall_mount_setattr(SYS_mount_setattr, dirfd, path, flags, &attr, (nuint)sizeof(MountAttr));

    public static int move_mount(int fromDirfd, string fromPath, int toDirfd, string toPath, uint flags) =>
        (int)syscall_move_mount(SYS_move_mount, fromDirfd, fromPath, toDirfd, toPath, flags);
}
