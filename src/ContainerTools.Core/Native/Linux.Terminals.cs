using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Pseudo-terminals: a container's console (OCI process.terminal) is the slave end of a pty.</summary>
public static partial class Linux
{
    public const int O_NOCTTY = 0x100;
    public const nuint TIOCSCTTY = 0x540E;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unlockpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int ptsname_r(int fd, byte* buffer, nuint length);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int ioctl_int(int fd, nuint request, nint argument);
}
