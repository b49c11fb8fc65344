using System.Globalization;

namespace ContainerTools.Core.Containers;

/// <summary>
/// A process named by pid and kernel start time (field 22 of /proc/pid/stat), so a reused pid is never
/// mistaken for the process that was recorded.
/// </summary>
public sealed record ProcessIdentity(int Pid, ulong StartTime)
{
    public static ProcessIdentity? Of(int pid) => ReadStartTime(pid) is { } start ? new ProcessIdentity(pid, start) : null;

    public bool IsAlive => ReadStartTime(Pid) == StartTime;

    private static ulong? ReadStartTime(int pid)
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
        // A zombie has exited: it is only waiting to be reaped.
        if (fields[0] == "Z" || fields[0] == "X")
            return null;
        return ulong.Parse(fields[19], CultureInfo.InvariantCulture);
    }
}
