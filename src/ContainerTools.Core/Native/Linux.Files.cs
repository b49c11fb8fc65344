using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>File-system calls for work inside a root that must never be left: openat2 and the *at family, xattrs, device nodes.</summary>
public static partial class Linux
{
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_SYMLINK_FOLLOW = 0x400;
    public const int AT_REMOVEDIR = 0x200;
    public const int AT_EMPTY_PATH = 0x1000;

    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_TRUNC = 0x200;
    public const int O_DIRECTORY = 0x10000;
    public const int O_NOFOLLOW = 0x20000;
    public const int O_CLOEXEC = 0x80000;
    public const int O_PATH = 0x200000;
    public const int O_NONBLOCK = 0x800;
    public const int O_APPEND = 0x400;
    public const int O_DIRECT = 0x4000;
    /// <summary>An unnamed file in the directory opened (__O_TMPFILE | O_DIRECTORY): it vanishes with its last descriptor unless linkat names it.</summary>
    public const int O_TMPFILE = 0x410000;

    public const ulong RESOLVE_NO_XDEV = 0x01;
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02;
    public const ulong RESOLVE_NO_SYMLINKS = 0x04;
    public const ulong RESOLVE_BENEATH = 0x08;
    public const ulong RESOLVE_IN_ROOT = 0x10;

    public const uint S_IFMT = 0xF000;
    public const uint S_IFIFO = 0x1000;
    public const uint S_IFCHR = 0x2000;
    public const uint S_IFDIR = 0x4000;
    public const uint S_IFBLK = 0x6000;
    public const uint S_IFREG = 0x8000;
    public const uint S_IFLNK = 0xA000;
    public const uint S_ISGID = 0x400;

    public const long UTIME_OMIT = (1L << 30) - 2;

    private const long SYS_openat2 = 437;

    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long Syscall4(long number, int dirfd, byte* path, OpenHow* how, nuint size);

    /// <summary>openat2(2): glibc 2.36 has no wrapper, so it goes through syscall(2).</summary>
    public static unsafe int openat2(int dirfd, string path, ulong flags, ulong mode, ulong resolve)
    {
        var how = new OpenHow { Flags = flags, Mode = mode, Resolve = resolve };
        byte[] bytes = NulTerminated(path);
        fixed (byte* p = bytes)
            return (int)Syscall4(SYS_openat2, dirfd, p, &how, (nuint)sizeof(OpenHow));
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int openat(int dirfd, string path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdirat(int dirfd, string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mknodat(int dirfd, string path, uint mode, ulong dev);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int symlinkat(string target, int newdirfd, string linkpath);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int linkat(int olddirfd, string oldpath, int newdirfd, string newpath, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rename(string oldpath, string newpath);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlinkat(int dirfd, string path, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fchownat(int dirfd, string path, int owner, int group, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fchmod(int fd, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fchmodat(int dirfd, string path, uint mode, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fchown(int fd, int owner, int group);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int utimensat(int dirfd, string path, Timespec* times, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int fsetxattr(int fd, string name, byte* value, nuint size, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int lsetxattr(string path, string name, byte* value, nuint size, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial nint lgetxattr(string path, string name, byte* value, nuint size);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial nint fgetxattr(int fd, string name, byte* value, nuint size);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    public const int SEEK_SET = 0;

    [LibraryImport("libc", SetLastError = true)]
    public static partial long lseek(int fd, long offset, int whence);

    /// <summary>makedev(3) as glibc encodes it.</summary>
    public static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    private static byte[] NulTerminated(string path)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(path);
        byte[] bytes = new byte[length + 1];
        System.Text.Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }
}
