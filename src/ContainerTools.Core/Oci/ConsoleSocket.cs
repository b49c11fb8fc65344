using System.Text;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>
/// --console-socket: a new pty whose master goes to the caller (conmon) over the Unix socket as SCM_RIGHTS,
/// as runc sends it; the slave becomes the container process's stdio. The pty is the container's own devpts
/// instance's, so `tty` names it inside.
/// </summary>
public static class ConsoleSocket
{
    /// <summary>Sends the master of a pty made in the container's devpts, with its path inside the container.</summary>
    public static void Send(string socketPath, PseudoTerminal terminal) =>
        Send(socketPath, terminal.Master, $"/dev/pts/{terminal.Number}");

    private static unsafe void Send(string socketPath, int fd, string payload)
    {
        int socket = Errno.Check(Linux.socket(Linux.AF_UNIX, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, 0), "socket", socketPath);
        try
        {
            var address = new Linux.SockaddrUn { Family = Linux.AF_UNIX };
            byte[] path = Encoding.UTF8.GetBytes(socketPath);
            if (path.Length >= 108)
                throw new EngineException("ConsoleSocketPathTooLong", ErrorKind.InvalidArgument, socketPath, $"the console socket path {socketPath} is too long");
            for (int i = 0; i < path.Length; i++)
                address.Path[i] = path[i];
            Errno.Check(Linux.connect(socket, &address, (uint)sizeof(Linux.SockaddrUn)), "connect", socketPath);
            byte[] data = Encoding.UTF8.GetBytes(payload);
            fixed (byte* bytes = data)
            {
                var iov = new Linux.IoVec { Base = bytes, Length = (nuint)data.Length };
                var control = new Linux.CmsgOneFd { Length = (nuint)(sizeof(nuint) + 2 * sizeof(int) + sizeof(int)), Level = Linux.SOL_SOCKET, Type = Linux.SCM_RIGHTS, Fd = fd };
                var message = new Linux.MsgHdr { Iov = &iov, IovLength = 1, Control = &control, ControlLength = (nuint)sizeof(Linux.CmsgOneFd) };
                Errno.Check((int)Linux.sendmsg(socket, &message, 0), "sendmsg", socketPath);
            }
        }
        finally
        {
            Linux.close(socket);
        }
    }
}
