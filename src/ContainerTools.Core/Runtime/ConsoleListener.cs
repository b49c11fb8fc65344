using ContainerTools.Core.Native;
using ContainerTools.Core.Oci;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The receiving end of a console socket: a Unix socket listening at a path, which takes one connection
/// and the pty master passed on it (SCM_RIGHTS), sets the window size, and replies so the sender goes on.
/// Disposing removes the socket file.
/// </summary>
public sealed class ConsoleListener : IDisposable
{
    private readonly SafeFileHandle _socket;
    private readonly string _path;

    private ConsoleListener(SafeFileHandle socket, string path)
    {
        _socket = socket;
        _path = path;
    }

    public static unsafe ConsoleListener Listen(string path)
    {
        var address = ConsoleSocket.Address(path);
        var socket = new SafeFileHandle(Errno.Check(Linux.socket(Linux.AF_UNIX, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, 0), "socket", path), ownsHandle: true);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // A socket file left by a pwsh killed while it waited here.
            File.Delete(path);
            Errno.Check(Linux.bind((int)socket.DangerousGetHandle(), &address, (uint)sizeof(Linux.SockaddrUn)), "bind", path);
            var listener = new ConsoleListener(socket, path);
            Errno.Check(Linux.listen((int)socket.DangerousGetHandle(), 1), "listen", path);
            return listener;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the master (in slices, so a cancel is seen), sizes it to <paramref name="size"/> and lets the sender go on.</summary>
    public unsafe PseudoTerminal Accept(Linux.WinSize size, CancellationToken cancel)
    {
        var poll = new Linux.PollFd { Fd = (int)_socket.DangerousGetHandle(), Events = Linux.POLLIN };
        while (Linux.poll(&poll, 1, 200) <= 0 || (poll.Revents & Linux.POLLIN) == 0)
            cancel.ThrowIfCancellationRequested();
        using var connection = new SafeFileHandle(Errno.Check(Linux.accept4(poll.Fd, null, null, Linux.SOCK_CLOEXEC), "accept4", _path), ownsHandle: true);
        int fd = (int)connection.DangerousGetHandle();
        var terminal = PseudoTerminal.Adopt(DescriptorPassing.Receive(fd, _path)
            ?? throw new InvalidDataException($"the console socket {_path} received no terminal"));
        try
        {
            terminal.Resize(size);
            byte reply = 1;
            Errno.Check((int)Linux.write(fd, &reply, 1), "write", _path);
            return terminal;
        }
        catch
        {
            terminal.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(_path);
    }
}
