using System.Buffers;
using System.Runtime.InteropServices;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Reads a child's pipes on the calling thread alone, one poll(2) over all of them, until every one has ended:
/// neither can fill up and stall the child, and no thread or .NET stream machinery is needed per pipe.
/// </summary>
internal static class PipeDrain
{
    /// <param name="received">A pipe's index and what one read(2) gave; empty once that pipe has ended.</param>
    /// <param name="what">Names the pipes in a failure.</param>
    /// <param name="idle">Runs when <paramref name="idleAfter"/> has passed with pipes still open (never without it);
    /// returns false to run again after another <paramref name="idleAfter"/>.</param>
    public static unsafe void Run(IReadOnlyList<SafeHandle> pipes, ReadOnlySpanAction<byte, int> received, string what,
        TimeSpan? idleAfter = null, Func<bool>? idle = null)
    {
        var open = new bool[pipes.Count];
        open.AsSpan().Fill(true);
        int openCount = pipes.Count;
        const int BufferSize = 16384;
        // Native, not a managed array the GC zeroes: pages the kernel never fills (a quiet container) are never resident.
        byte* buffer = (byte*)NativeMemory.Alloc(BufferSize);
        Linux.PollFd* polls = stackalloc Linux.PollFd[pipes.Count];
        long idleAt = idleAfter is { } after ? Environment.TickCount64 + (long)after.TotalMilliseconds : -1;
        try
        {
            while (openCount > 0)
            {
                for (int i = 0; i < pipes.Count; i++)
                    // poll(2) skips a negative descriptor: an ended pipe is not watched.
                    polls[i] = new Linux.PollFd { Fd = open[i] ? (int)pipes[i].DangerousGetHandle() : -1, Events = Linux.POLLIN };
                int timeout = idleAt < 0 ? -1 : (int)Math.Max(0, idleAt - Environment.TickCount64);
                int ready = Linux.poll(polls, (nuint)pipes.Count, timeout);
                if (ready < 0)
                {
                    if (Errno.Last == Errno.EINTR)
                        continue;
                    throw new NativeCallException("poll", what, Errno.Last);
                }
                if (ready == 0 && idleAt >= 0)
                {
                    idleAt = idle is null || idle() ? -1 : Environment.TickCount64 + (long)idleAfter!.Value.TotalMilliseconds;
                    continue;
                }
                for (int i = 0; i < pipes.Count; i++)
                {
                    // A hang-up can come with data still buffered: read until read(2) says the end.
                    if (polls[i].Fd < 0 || polls[i].Revents == 0)
                        continue;
                    nint count = Linux.read(polls[i].Fd, buffer, BufferSize);
                    if (count < 0 && Errno.Last is Errno.EINTR or Errno.EAGAIN)
                        continue;
                    if (count < 0)
                        throw new NativeCallException("read", what, Errno.Last);
                    if (count == 0)
                    {
                        open[i] = false;
                        openCount--;
                    }
                    received(new ReadOnlySpan<byte>(buffer, (int)count), i);
                }
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }
}
