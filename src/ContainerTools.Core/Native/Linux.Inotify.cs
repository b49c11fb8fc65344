using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>File-system events (inotify): a waiter learns of a file replaced without polling it.</summary>
public static partial class Linux
{
    public const int IN_CLOEXEC = 0x80000;
    public const int IN_NONBLOCK = 0x800;
    public const uint IN_MOVED_TO = 0x80;
    public const uint IN_DELETE_SELF = 0x400;
    public const uint IN_MOVE_SELF = 0x800;
    public const uint IN_ONLYDIR = 0x01000000;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int inotify_init1(int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int inotify_add_watch(int fd, string path, uint mask);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int inotify_rm_watch(int fd, int watch);
}
