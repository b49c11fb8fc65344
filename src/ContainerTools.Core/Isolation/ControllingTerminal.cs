using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation;

/// <summary>A process whose stdin is a pty slave makes it its controlling terminal, so a shell gets job control and ^C.</summary>
public static class ControllingTerminal
{
    public static void Take()
    {
        Errno.Check(Linux.setsid(), "setsid");
        Errno.Check(Linux.ioctl(0, Linux.TIOCSCTTY, 0), "ioctl(TIOCSCTTY)", "stdin");
    }
}
