using System.Text;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>
/// --console-socket: a new pty whose master goes to the caller (conmon) over the Unix socket as SCM_RIGHTS,
/// as runc sends it; the slave becomes the container process's stdio. The pty is the container's own devpts
/// instance's, so `tty` names it inside. The engine's own init sends its terminal's master the same way to
/// the pwsh that runs it interactively (Runtime/ConsoleListener).
/// </summary>
public static class ConsoleSocket
{
    /// <summary>Sends the master of a pty made in the container's devpts, with its path inside the container.</summary>
    public static void Send(string socketPath, PseudoTerminal terminal, bool awaitReply = false) =>
        Send(socketPath, terminal.Master, $"/dev/pts/{terminal.Number}", awaitReply);

    /// <summary>
    /// Sends <paramref name="fd"/> with <paramref name="payload"/> (the slave's name). With
    /// <paramref name="awaitReply"/> it then waits for the receiver's one byte, so it goes on only once the
    /// receiver holds the master (and has set the window size on it).
    /// </summary>
    private static unsafe void Send(string socketPath, int fd, string payload, bool awaitReply)
    {
        int socket = Errno.Check(Linux.socket(Linux.AF_UNIX, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, 0), "socket", socketPath);
        try
        {
            var address = Address(socketPath);
            Errno.Check(Linux.connect(socket, &address, (uint)sizeof(Linux.SockaddrUn)), "connect", socketPath);
            DescriptorPassing.Send(socket, fd, Encoding.UTF8.GetBytes(payload), socketPath);
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
