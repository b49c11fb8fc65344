using System.Runtime.InteropServices;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Connects the host's terminal to a container command's pseudo-terminal until the command exits: keys
/// go in as bytes (the host in raw mode, restored on every way out), output comes back as bytes, and the
/// window size follows the host's (SIGWINCH).
/// </summary>
internal static class TerminalRelay
{
    private const int BufferSize = 16384;

    /// <summary>
    /// Returns when the process behind <paramref name="exited"/> has exited, or the terminal hung up (every
    /// slave closed: pass -1 to wait only for that), and its output is drained; or on cancel.
    /// </summary>
    public static unsafe void Run(HostTerminal host, PseudoTerminal terminal, int exited, CancellationToken cancel)
    {
        using var resize = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => terminal.Resize(host.Size));
        terminal.Resize(host.Size);
        using var raw = host.EnterRawMode();
        byte* buffer = stackalloc byte[BufferSize];
        var fds = stackalloc Linux.PollFd[3];
        fds[0] = new Linux.PollFd { Fd = exited, Events = Linux.POLLIN };
        fds[1] = new Linux.PollFd { Fd = terminal.Master, Events = Linux.POLLIN };
        fds[2] = new Linux.PollFd { Fd = HostTerminal.Input, Events = Linux.POLLIN };
        nuint watched = 3;
        while (!cancel.IsCancellationRequested)
        {
            // A slice, so a cancel (StopProcessing) is seen even when nothing moves.
            int ready = Linux.poll(fds, watched, 200);
            if (ready < 0 && Errno.Last != Errno.EINTR)
                throw new NativeCallException("poll", "terminal", Errno.Last);
            if (ready <= 0)
                continue;
            if ((fds[1].Revents & Linux.POLLIN) != 0)
                Copy(terminal.Master, HostTerminal.Output, buffer);
            if ((fds[1].Revents & Linux.POLLHUP) != 0)
            {
                Drain(terminal.Master, buffer);
                return;
            }
            if ((fds[2].Revents & (Linux.POLLIN | Linux.POLLHUP)) != 0 && Copy(HostTerminal.Input, terminal.Master, buffer) == 0)
                watched = 2; // the host's input ended: keep showing output until the command exits
            if ((fds[0].Revents & Linux.POLLIN) != 0)
            {
                Drain(terminal.Master, buffer);
                return;
            }
        }
    }

    /// <summary>What the command wrote just before it exited.</summary>
    private static unsafe void Drain(int master, byte* buffer)
    {
        var poll = new Linux.PollFd { Fd = master, Events = Linux.POLLIN };
        while (Linux.poll(&poll, 1, 0) > 0 && (poll.Revents & Linux.POLLIN) != 0 && Copy(master, HostTerminal.Output, buffer) > 0)
        {
        }
    }

    /// <summary>One read and a complete write of it; the byte count read (0 at end of input).</summary>
    private static unsafe nint Copy(int from, int to, byte* buffer)
    {
        nint count = Linux.read(from, buffer, BufferSize);
        if (count < 0)
            return Errno.Last == Errno.EINTR || Errno.Last == Errno.EAGAIN ? -1 : 0;
        Linux.WriteAll(to, new ReadOnlySpan<byte>(buffer, (int)count), to == HostTerminal.Output ? "stdout" : "terminal");
        return count;
    }
}
