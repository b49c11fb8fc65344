using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Terminals: pseudo-terminal masters, window sizes, controlling terminals and raw mode.</summary>
public static partial class Linux
{
    public const nuint TIOCGWINSZ = 0x5413;
    public const nuint TIOCSWINSZ = 0x5414;
    public const nuint TIOCSCTTY = 0x540E;
    public const nuint TIOCGPTN = 0x80045430;
    public const nuint TIOCSPTLCK = 0x40045431;
    public const nuint TIOCGPTPEER = 0x5441;
    public const int TCSANOW = 0;
    public const int O_NOCTTY = 0x100;
    public const short POLLHUP = 0x10;

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    /// <summary>glibc's struct termios (60 bytes); only copied between tcgetattr, cfmakeraw and tcsetattr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct Termios
    {
        public uint InputFlags;
        public uint OutputFlags;
        public uint ControlFlags;
        public uint LocalFlags;
        public byte Line;
        public fixed byte ControlChars[32];
        public uint InputSpeed;
        public uint OutputSpeed;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int ioctl(int fd, nuint request, WinSize* size);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int ioctl(int fd, nuint request, int* value);

    /// <summary>For requests whose argument is a plain integer (TIOCSCTTY, TIOCGPTPEER).</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, nint value);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int tcgetattr(int fd, Termios* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int tcsetattr(int fd, int when, Termios* termios);

    [LibraryImport("libc")]
    public static unsafe partial void cfmakeraw(Termios* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unlockpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int ptsname_r(int fd, byte* buffer, nuint length);
}
