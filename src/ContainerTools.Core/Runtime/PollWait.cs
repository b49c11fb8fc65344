using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>Waits for one of a few descriptors to be readable, in short slices so a waiting cmdlet stays responsive to Ctrl+C.</summary>
public static class PollWait
{
    /// <returns>The index of a readable descriptor, or -1 once the timeout (infinite when null) has passed.</returns>
    public static unsafe int Any(ReadOnlySpan<int> fds, TimeSpan? timeout, CancellationToken cancel)
    {
        var deadline = timeout is null ? DateTime.MaxValue : DateTime.UtcNow + timeout.Value;
        var polls = stackalloc Linux.PollFd[fds.Length];
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            double left = (deadline - DateTime.UtcNow).TotalMilliseconds;
            for (int i = 0; i < fds.Length; i++)
                polls[i] = new Linux.PollFd { Fd = fds[i], Events = Linux.POLLIN };
            int ready = Linux.poll(polls, (nuint)fds.Length, (int)Math.Clamp(left, 0, 200));
            if (ready < 0 && Errno.Last != Errno.EINTR)
                throw new NativeCallException("poll", null, Errno.Last);
            for (int i = 0; ready > 0 && i < fds.Length; i++)
            {
                if (polls[i].Revents != 0)
                    return i;
            }
            if (left <= 0)
                return -1;
        }
    }
}
