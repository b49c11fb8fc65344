using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>Unix sockets: the create/init sync channel and handing a console's master fd over (SCM_RIGHTS).</summary>
public static partial class Linux
{
    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const int SOCK_SEQPACKET = 5;
    public const int SOL_SOCKET = 1;
    public const int SCM_RIGHTS = 1;
    public const int MSG_CMSG_CLOEXEC = 0x40000000;

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct SockaddrUn
    {
        public ushort Family;
        public fixed byte Path[108];
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct cmsghdr followed by one int: exactly one passed descriptor.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CmsgOneFd
    {
        public nuint Length;
        public int Level;
        public int Type;
        public int Fd;
        private readonly int _padding;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int connect(int fd, SockaddrUn* address, uint length);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int bind(int fd, SockaddrUn* address, uint length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int listen(int fd, int backlog);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int accept4(int fd, void* address, uint* length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint recvmsg(int fd, MsgHdr* message, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint sendmsg(int fd, MsgHdr* message, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkfifo(string path, uint mode);
}
