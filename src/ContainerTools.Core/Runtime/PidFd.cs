using ContainerTools.Core.Containers;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// A pidfd: signals and waits on exactly the recorded process, never on a stranger that reused its pid.
/// Works for processes that are not our children (a monitor started by another pwsh).
/// </summary>
public sealed class PidFd : IDisposable
{
    private int _fd;

    private PidFd(int fd) => _fd = fd;

    /// <summary>Opens the process if it is still the one recorded; null if it has exited.</summary>
    public static PidFd? Open(ProcessIdentity? process)
    {
        if (process is null || !process.IsAlive)
            return null;
        int fd = Linux.pidfd_open(process.Pid);
        if (fd < 0)
            return Errno.Last == Errno.ESRCH ? null : throw new NativeCallException("pidfd_open", $"pid {process.Pid}", Errno.Last);
        // The pid could have been reused between the check and the open: check again with the fd held.
        if (!process.IsAlive)
        {
            Linux.close(fd);
            return null;
        }
        return new PidFd(fd);
    }

    /// <summary>Sends a signal; false if the process has already exited.</summary>
    public bool Signal(int signal)
    {
        if (Linux.pidfd_send_signal(_fd, signal) == 0)
            return true;
        return Errno.Last == Errno.ESRCH ? false : throw new NativeCallException("pidfd_send_signal", null, Errno.Last);
    }

    /// <summary>Waits until the process exits or the timeout passes (infinite when null); true if it exited.</summary>
    public unsafe bool WaitForExit(TimeSpan? timeout, CancellationToken cancel = default)
    {
        var deadline = timeout is null ? DateTime.MaxValue : DateTime.UtcNow + timeout.Value;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            // Short slices keep a waiting cmdlet responsive to Ctrl+C.
            double left = (deadline - DateTime.UtcNow).TotalMilliseconds;
            int slice = (int)Math.Clamp(left, 0, 200);
            var poll = new Linux.PollFd { Fd = _fd, Events = Linux.POLLIN };
            int ready = Linux.poll(&poll, 1, slice);
            if (ready > 0)
                return true;
            if (ready < 0 && Errno.Last != Errno.EINTR)
                throw new NativeCallException("poll", "pidfd", Errno.Last);
            if (left <= 0)
                return false;
        }
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            Linux.close(fd);
    }
}
