using System.Globalization;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Containers;

/// <summary>
/// A process named by pid and kernel start time (field 22 of /proc/pid/stat), so a reused pid is never
/// mistaken for the process that was recorded.
/// </summary>
public sealed record ProcessIdentity(int Pid, ulong StartTime)
{
    public static ProcessIdentity? Of(int pid) => LiveStartTime(pid) is { } start ? new ProcessIdentity(pid, start) : null;

    public bool IsAlive => LiveStartTime(Pid) == StartTime;

    /// <summary>The start time of <paramref name="pid"/> while it has not exited, else null.</summary>
    private static ulong? LiveStartTime(int pid)
    {
        if (ReadStat(pid) is not var (state, start))
            return null;
        // /proc/PID/stat shows the process's first thread, and "Z" when that thread alone has exited: the process
        // has exited, or another of its threads is in execve and takes the pid over (a monitor handing over to
        // `ctmon watch` is read so for a moment). A pidfd is readable only once every thread has exited.
        if (state is 'Z' or 'X')
            return HasExited(pid) ? null : ReadStat(pid)?.StartTime == start ? start : null;
        return start;
    }

    /// <summary>True when <paramref name="pid"/> names no process or one whose every thread has exited.</summary>
    private static unsafe bool HasExited(int pid)
    {
        int fd = Linux.pidfd_open(pid);
        if (fd < 0)
            return Errno.Last == Errno.ESRCH ? true : throw new NativeCallException("pidfd_open", $"pid {pid}", Errno.Last);
        try
        {
            var poll = new Linux.PollFd { Fd = fd, Events = Linux.POLLIN };
            int ready = Linux.poll(&poll, 1, 0);
            return ready < 0 ? throw new NativeCallException("poll", $"pidfd of pid {pid}", Errno.Last) : ready > 0;
        }
        finally
        {
            Linux.close(fd);
        }
    }

    private static (char State, ulong StartTime)? ReadStat(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], ulong.Parse(fields[19], CultureInfo.InvariantCulture));
    }
}
