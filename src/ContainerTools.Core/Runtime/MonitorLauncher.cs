using System.Diagnostics;
using ContainerTools.Core.Containers;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Gives a container its `ctmon monitor` and waits for its one-line report on a pipe: "running", or
/// "failed &lt;reason&gt;". The monitor makes itself a session leader and lets go of our pipes, so it outlives us.
/// Meanwhile the container's cgroup is made here (see <see cref="LaunchHandoff"/>). The monitor is the
/// <see cref="SpareMonitor"/> this process keeps when it is alive, else one started now; the next spare is
/// started once the report is in.
/// </summary>
public static class MonitorLauncher
{
    public const string Running = "running";
    public const string Failed = "failed ";

    /// <summary>Returns null when the container runs, else why it did not start.</summary>
    public static string? Launch(string monitorExecutable, Store.StoreLocation store, ContainerRecord record)
    {
        if (!File.Exists(monitorExecutable))
            throw new EngineException("MonitorMissing", ErrorKind.ResourceUnavailable, monitorExecutable,
                $"the container monitor {monitorExecutable} is missing: the module folder is incomplete");
        try
        {
            using (var spare = SpareMonitor.Take(monitorExecutable, store))
            {
                if (spare is not null && spare.Send(record.Id) && Hand(spare.Process, record, spare.TakeGroup(), fromSpare: true, out string? error))
                    return error;
            }
            using var monitor = ChildStarts.StartMonitor(SpareMonitor.StartInfo(monitorExecutable, store, record.Id));
            Hand(monitor, record, spareGroup: null, fromSpare: false, out string? report);
            return report;
        }
        finally
        {
            SpareMonitor.Prepare(monitorExecutable, store);
        }
    }

    /// <summary>
    /// Sends the handoff and reads the report into <paramref name="error"/>; false when a spare ended before it
    /// took the container (nothing of it was touched but its cgroup, made ahead, which a fresh monitor takes as it is).
    /// </summary>
    private static bool Hand(Process monitor, ContainerRecord record, string? spareGroup, bool fromSpare, out string? error)
    {
        try
        {
            LaunchHandoff.Send(monitor.StandardInput.BaseStream, record, spareGroup);
            monitor.StandardInput.Close();
        }
        catch (IOException)
        {
            // The monitor is gone already: its stderr, read below, says why.
        }
        string? line = monitor.StandardOutput.ReadLine();
        if (fromSpare)
        {
            if (line != SpareMonitor.Taken)
            {
                error = null;
                return false;
            }
            line = monitor.StandardOutput.ReadLine();
        }
        error = ErrorOf(line, monitor);
        return true;
    }

    private static string? ErrorOf(string? line, Process monitor)
    {
        if (line == Running)
            return null;
        if (line is not null && line.StartsWith(Failed, StringComparison.Ordinal))
            return line[Failed.Length..].Replace("\\n", "\n", StringComparison.Ordinal);
        // The monitor died before it could report: what it printed on stderr says why.
        string stderr = monitor.StandardError.ReadToEnd().Trim();
        return $"the container monitor exited without reporting: {(stderr.Length > 0 ? stderr : "no message")}";
    }
}
