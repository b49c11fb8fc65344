using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Mounts and pivot_root.</summary>
public static partial class Linux
{
    public const ulong MS_RDONLY = 1;
    public const ulong MS_NOSUID = 2;
    public const ulong MS_NODEV = 4;
    public const ulong MS_NOEXEC = 8;
    public const ulong MS_REMOUNT = 32;
    public const ulong MS_NOATIME = 1024;
    public const ulong MS_BIND = 4096;
    public const ulong MS_REC = 16384;
    public const ulong MS_PRIVATE = 1 << 18;
    public const ulong MS_SLAVE = 1 << 19;
    public const ulong MS_SHARED = 1 << 20;
    public const ulong MS_RELATIME = 1 << 21;
    public const ulong MS_STRICTATIME = 1 << 24;
    public const int MNT_DETACH = 2;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chdir(string path);

    private const long SYS_pivot_root = 155;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall_pivot_root(long number, [MarshalAs(UnmanagedType.LPUTF8Str)] string newRoot, [MarshalAs(UnmanagedType.LPUTF8Str)] string putOld);

    public static int pivot_root(string newRoot, string putOld) => (int)syscall_pivot_root(SYS_pivot_root, newRoot, putOld);
}
