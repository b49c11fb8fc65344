using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Sockets and interface flags (bringing up a namespace's loopback).</summary>
public static partial class Linux
{
    public const int AF_INET = 2;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_CLOEXEC = 0x80000;
    public const uint SIOCGIFFLAGS = 0x8913;
    public const uint SIOCSIFFLAGS = 0x8914;
    public const short IFF_UP = 0x1;
    public const short IFF_RUNNING = 0x40;

    /// <summary>struct ifreq, reduced to the name and the flags word of its union.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 40)]
    public unsafe struct IfReqFlags
    {
        public fixed byte Name[16];
        public short Flags;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int ioctl(int fd, nuint request, IfReqFlags* request_data);
}
