using ContainerTools.Core.Isolation;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// The master side of a pseudo-terminal allocated in a running container's own devpts instance, so the
/// process given its slave sees /dev/pts/N inside the container (`tty` names it) and nothing of the host's.
/// We also hold a slave of our own, so the master never hangs up before the command has opened its side.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    private readonly SafeFileHandle _master;
    private readonly SafeFileHandle _peer;

    private PseudoTerminal(SafeFileHandle master, SafeFileHandle peer, int number)
    {
        _master = master;
        _peer = peer;
        Number = number;
    }

    /// <summary>N of the container's /dev/pts/N.</summary>
    public int Number { get; }

    public int Master => (int)_master.DangerousGetHandle();

    /// <summary>Our own slave (close-on-exec): dup it onto a process's stdio to give it the terminal.</summary>
    public int Slave => (int)_peer.DangerousGetHandle();

    /// <summary>Opens /dev/pts/ptmx of the container whose init has host pid <paramref name="initPid"/>, resolved inside its root.</summary>
    public static PseudoTerminal OpenIn(int initPid, Linux.WinSize size)
    {
        using var root = RootedPath.Open($"/proc/{initPid}/root");
        return OpenIn(root, size);
    }

    /// <summary>Opens /dev/pts/ptmx below a container root whose devpts is mounted (an init before pivot_root).</summary>
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

    public unsafe void Resize(Linux.WinSize size)
    {
        if (size.Rows == 0 || size.Columns == 0)
            return;
        Errno.Check(Linux.ioctl(Master, Linux.TIOCSWINSZ, &size), "ioctl(TIOCSWINSZ)", $"/dev/pts/{Number}");
    }

    public void Dispose()
    {
        _peer.Dispose();
        _master.Dispose();
    }
}
