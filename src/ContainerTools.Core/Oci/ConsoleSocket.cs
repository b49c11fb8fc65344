using System.Text;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Oci;

/// <summary>
/// --console-socket: a new pty whose master goes to the caller (conmon) over the Unix socket as SCM_RIGHTS,
/// as runc sends it; the slave becomes the container process's stdio. The engine's own init sends its
/// terminal's master the same way to the pwsh that runs it interactively (Runtime/ConsoleListener).
/// </summary>
public static class ConsoleSocket
{
    /// <summary>Sends the master and returns the slave (close-on-exec; dup2 it onto 0-2 of the process to start).</summary>
    public static unsafe int OpenAndSend(string socketPath)
    {
        int master = Errno.Check(Linux.posix_openpt(Linux.O_RDWR | Linux.O_NOCTTY | Linux.O_CLOEXEC), "posix_openpt");
        try
        {
            Errno.Check(Linux.grantpt(master), "grantpt");
            Errno.Check(Linux.unlockpt(master), "unlockpt");
            byte* name = stackalloc byte[128];
            Errno.Check(Linux.ptsname_r(master, name, 128) == 0 ? 0 : -1, "ptsname_r");
            string slavePath = new((sbyte*)name);
            int slave = Errno.Check(Linux.openat(Linux.AT_FDCWD, slavePath, Linux.O_RDWR | Linux.O_NOCTTY | Linux.O_CLOEXEC, 0), "open", slavePath);
            Send(socketPath, master, slavePath);
            return slave;
        }
        finally
        {
            Linux.close(master);
        }
    }

    /// <summary>
    /// Sends <paramref name="fd"/> with <paramref name="payload"/> (the slave's name). With
    /// <paramref name="awaitReply"/> it then waits for the receiver's one byte, so it goes on only once the
    /// receiver holds the master (and has set the window size on it).
    /// </summary>
    public static unsafe void Send(string socketPath, int fd, string payload, bool awaitReply = false)
    {
        int socket = Errno.Check(Linux.socket(Linux.AF_UNIX, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, 0), "socket", socketPath);
        try
        {
            var address = Address(socketPath);
            Errno.Check(Linux.connect(socket, &address, (uint)sizeof(Linux.SockaddrUn)), "connect", socketPath);
            byte[] data = Encoding.UTF8.GetBytes(payload);
            fixed (byte* bytes = data)
            {
                var iov = new Linux.IoVec { Base = bytes, Length = (nuint)data.Length };
                var control = new Linux.CmsgOneFd { Length = (nuint)(sizeof(nuint) + 2 * sizeof(int) + sizeof(int)), Level = Linux.SOL_SOCKET, Type = Linux.SCM_RIGHTS, Fd = fd };
                var message = new Linux.MsgHdr { Iov = &iov, IovLength = 1, Control = &control, ControlLength = (nuint)sizeof(Linux.CmsgOneFd) };
                Errno.Check((int)Linux.sendmsg(socket, &message, 0), "sendmsg", socketPath);
            }
            byte reply;
            nint read;
            while (awaitReply && (read = Linux.read(socket, &reply, 1)) != 1)
            {
                if (read == 0 || Errno.Last != Errno.EINTR)
                    throw new NativeCallException("read", socketPath, read == 0 ? Errno.ECONNRESET : Errno.Last);
            }
        }
        finally
        {
            Linux.close(socket);
        }
    }

    /// <summary>A sockaddr_un for <paramref name="socketPath"/>, which must fit its 108 bytes.</summary>
    internal static unsafe Linux.SockaddrUn Address(string socketPath)
    {
        var address = new Linux.SockaddrUn { Family = Linux.AF_UNIX };
        byte[] path = Encoding.UTF8.GetBytes(socketPath);
        if (path.Length >= 108)
            throw new EngineException("ConsoleSocketPathTooLong", ErrorKind.InvalidArgument, socketPath, $"the console socket path {socketPath} is too long");
        for (int i = 0; i < path.Length; i++)
            address.Path[i] = path[i];
        return address;
    }
}
