using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Lets another thread run work on the thread that started a container's init while that thread waits for it:
/// what must happen on the init's parent thread (its parent-death signal and its wait belong to that thread),
/// such as the monitor's execve into its steady state. The waiting thread sleeps in poll(2) on the init's pidfd
/// and a wake-up pipe, so it costs nothing while no one calls.
/// </summary>
public sealed class InitThreadCalls
{
    private readonly object _lock = new();
    private readonly int _wakeRead;
    private readonly int _wakeWrite;
    private Action? _work;
    private bool _serving = true;

    public unsafe InitThreadCalls()
    {
        int* fds = stackalloc int[2];
        Errno.Check(Linux.pipe2(fds, Linux.O_CLOEXEC), "pipe2", "init thread calls");
        (_wakeRead, _wakeWrite) = (fds[0], fds[1]);
    }

    /// <summary>
    /// Runs <paramref name="work"/> (which must not throw) on the init's thread and returns once it has returned;
    /// false without running it when that thread no longer serves (the init has exited).
    /// </summary>
    public unsafe bool Run(Action work)
    {
        lock (_lock)
        {
            if (!_serving)
                return false;
            _work = work;
            byte wake = 1;
            Errno.Check((int)Linux.write(_wakeWrite, &wake, 1), "write", "init thread calls");
            while (_work is not null && _serving)
                Monitor.Wait(_lock);
            return _work is null;
        }
    }

    /// <summary>On the init's thread: serves calls until the init has exited (not yet reaped: the caller then waits for it as before).</summary>
    internal unsafe void ServeUntilExit(int pid)
    {
        int pidfd = Linux.pidfd_open(pid);
        try
        {
            var polls = stackalloc Linux.PollFd[2];
            while (pidfd >= 0)
            {
                polls[0] = new Linux.PollFd { Fd = pidfd, Events = Linux.POLLIN };
                polls[1] = new Linux.PollFd { Fd = _wakeRead, Events = Linux.POLLIN };
                if (Linux.poll(polls, 2, -1) < 0)
                {
                    if (Errno.Last == Errno.EINTR)
                        continue;
                    throw new NativeCallException("poll", "init thread calls", Errno.Last);
                }
                if (polls[0].Revents != 0)
                    break;
                byte wake;
                Linux.read(_wakeRead, &wake, 1);
                RunPending();
            }
        }
        finally
        {
            // A pid already gone (pidfd_open failed) or exited: no more calls; a waiting caller is let go.
            lock (_lock)
            {
                _serving = false;
                Monitor.PulseAll(_lock);
            }
            if (pidfd >= 0)
                Linux.close(pidfd);
            Linux.close(_wakeRead);
            Linux.close(_wakeWrite);
        }
    }

    private void RunPending()
    {
        lock (_lock)
        {
            try
            {
                _work?.Invoke();
            }
            finally
            {
                _work = null;
                Monitor.PulseAll(_lock);
            }
        }
    }
}
