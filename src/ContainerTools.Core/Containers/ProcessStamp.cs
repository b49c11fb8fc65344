using System.Globalization;

namespace ContainerTools.Core.Containers;

/// <summary>
/// The process that made something a later command may find abandoned (a temp, a spare cgroup, a build's RUN
/// container), as "PID.STARTTIME" in its name or label: it counts as abandoned once that process has exited, and a
/// pid the kernel has since given to another process does not keep it (the start time differs, see <see cref="ProcessIdentity"/>).
/// </summary>
public static class ProcessStamp
{
    /// <summary>
    /// This process's stamp (digits and one '.', so it sits in a name between '-' separators); its bare pid where
    /// its /proc entry cannot be read (a process without /proc mounted).
    /// </summary>
    public static string Current { get; } = ProcessIdentity.Of(Environment.ProcessId) is { } self
        ? Of(self)
        : Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    public static string Of(ProcessIdentity process) =>
        process.Pid.ToString(CultureInfo.InvariantCulture) + "." + process.StartTime.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// True while the process <paramref name="stamp"/> names has not exited. A bare pid (what earlier versions
    /// wrote) counts while any process has it; text that is no stamp names no process.
    /// </summary>
    public static bool IsAlive(string stamp)
    {
        int dot = stamp.IndexOf('.');
        if (!int.TryParse(dot < 0 ? stamp : stamp[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
            return false;
        if (dot < 0)
            return ProcessIdentity.Of(pid) is not null;
        return ulong.TryParse(stamp[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)
            && new ProcessIdentity(pid, start).IsAlive;
    }
}
