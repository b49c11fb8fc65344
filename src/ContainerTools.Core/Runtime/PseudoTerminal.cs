using ContainerTools.Core.Isolation;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The master side of a pseudo-terminal allocated in a container's own devpts instance, so the process given
/// its slave sees /dev/pts/N inside the container (`tty` names it) and nothing of the host's. The side that
/// allocates it also holds a slave (<see cref="Peer"/>), so the master never hangs up before the command
/// has its side; a master received from a container's init (<see cref="Adopt"/>) has none.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    private readonly SafeFileHandle _master;
    private readonly SafeFileHandle? _peer;

    private PseudoTerminal(SafeFileHandle master, SafeFileHandle? peer, int number)
    {
        _master = master;
        _peer = peer;
        Number = number;
    }

    /// <summary>N of the container's /dev/pts/N.</summary>
    public int Number { get; }

    public int Master => (int)_master.DangerousGetHandle();

    /// <summary>The slave held with the master (close-on-exec): what a container's init makes its stdio.</summary>
    public int Peer => (int)(_peer ?? throw new InvalidOperationException("a received terminal has no slave of ours")).DangerousGetHandle();

    /// <summary>Opens /dev/pts/ptmx of the container whose init has host pid <paramref name="initPid"/>, resolved inside its root.</summary>
    public static PseudoTerminal OpenIn(int initPid, Linux.WinSize size)
    {
        using var root = RootedPath.Open($"/proc/{initPid}/root");
        return OpenIn(root, size);
    }

    /// <summary>Opens /dev/pts/ptmx resolved inside <paramref name="root"/> (a container root with its devpts mounted).</summary>
    public static unsafe PseudoTerminal OpenIn(RootedPath root, Linux.WinSize size)
    {
        var master = root.Open("/dev/pts/ptmx", Linux.O_RDWR | Linux.O_NOCTTY);
        try
        {
            int fd = (int)master.DangerousGetHandle();
            int unlock = 0, number;
            Errno.Check(Linux.ioctl(fd, Linux.TIOCSPTLCK, &unlock), "ioctl(TIOCSPTLCK)", "/dev/pts/ptmx");
            Errno.Check(Linux.ioctl(fd, Linux.TIOCGPTN, &number), "ioctl(TIOCGPTN)", "/dev/pts/ptmx");
            int peer = Errno.Check(Linux.ioctl(fd, Linux.TIOCGPTPEER, Linux.O_RDWR | Linux.O_NOCTTY | Linux.O_CLOEXEC), "ioctl(TIOCGPTPEER)", "/dev/pts/ptmx");
            var terminal = new PseudoTerminal(master, new SafeFileHandle(peer, ownsHandle: true), number);
            terminal.Resize(size);
            return terminal;
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>Takes ownership of a master received from elsewhere (a container's init, over its console socket).</summary>
    public static unsafe PseudoTerminal Adopt(SafeFileHandle master)
    {
        int number;
        Errno.Check(Linux.ioctl((int)master.DangerousGetHandle(), Linux.TIOCGPTN, &number), "ioctl(TIOCGPTN)", "console master");
        return new PseudoTerminal(master, null, number);
    }

    public unsafe void Resize(Linux.WinSize size)
    {
        if (size.Rows == 0 || size.Columns == 0)
            return;
        Errno.Check(Linux.ioctl(Master, Linux.TIOCSWINSZ, &size), "ioctl(TIOCSWINSZ)", $"/dev/pts/{Number}");
    }

    public void Dispose()
    {
        _peer?.Dispose();
        _master.Dispose();
    }
}
