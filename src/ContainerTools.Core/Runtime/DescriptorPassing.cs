using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>Descriptors handed from one process to another over a Unix socket (SCM_RIGHTS), one a message, in order.</summary>
public static class DescriptorPassing
{
    /// <summary>A SOCK_SEQPACKET pair (close-on-exec): message boundaries keep each descriptor with its own byte.</summary>
    public static unsafe (int Left, int Right) Pair()
    {
        int* fds = stackalloc int[2];
        Errno.Check(Linux.socketpair(Linux.AF_UNIX, Linux.SOCK_SEQPACKET | Linux.SOCK_CLOEXEC, 0, fds), "socketpair");
        return (fds[0], fds[1]);
    }

    public static void Send(int socket, SafeFileHandle descriptor) =>
        Send(socket, (int)descriptor.DangerousGetHandle(), [1], "descriptor");

    /// <summary>Sends <paramref name="fd"/> with <paramref name="payload"/> (at least one byte) in one message.</summary>
    public static unsafe void Send(int socket, int fd, ReadOnlySpan<byte> payload, string what)
    {
        fixed (byte* bytes = payload)
        {
            var iov = new Linux.IoVec { Base = bytes, Length = (nuint)payload.Length };
            var control = new Linux.CmsgOneFd
            {
                Length = (nuint)(sizeof(nuint) + 2 * sizeof(int) + sizeof(int)), Level = Linux.SOL_SOCKET, Type = Linux.SCM_RIGHTS, Fd = fd,
            };
            var message = new Linux.MsgHdr { Iov = &iov, IovLength = 1, Control = &control, ControlLength = (nuint)sizeof(Linux.CmsgOneFd) };
            Errno.Check((int)Linux.sendmsg(socket, &message, 0), "sendmsg", what);
        }
    }

    /// <summary>
    /// The next descriptor sent (close-on-exec), or null when the sender closed its end; the message's payload,
    /// up to 128 bytes, is not needed.
    /// </summary>
    public static unsafe SafeFileHandle? Receive(int socket, string what = "descriptor")
    {
        byte* payload = stackalloc byte[128];
        var iov = new Linux.IoVec { Base = payload, Length = 128 };
        var control = default(Linux.CmsgOneFd);
        var message = new Linux.MsgHdr { Iov = &iov, IovLength = 1, Control = &control, ControlLength = (nuint)sizeof(Linux.CmsgOneFd) };
        nint read;
        do
            read = Linux.recvmsg(socket, &message, Linux.MSG_CMSG_CLOEXEC);
        while (read < 0 && Errno.Last == Errno.EINTR);
        Errno.Check((int)read, "recvmsg", what);
        if (read == 0)
            return null;
        if (control.Level != Linux.SOL_SOCKET || control.Type != Linux.SCM_RIGHTS || message.ControlLength < (nuint)(sizeof(nuint) + 3 * sizeof(int)))
            throw new InvalidDataException($"{what}: a message without a descriptor");
        return new SafeFileHandle(control.Fd, ownsHandle: true);
    }
}
