using System.Diagnostics;
using ContainerTools.Core.Containers;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Starts `ctmon monitor` for a container and waits for its one-line report on a pipe: "running", or
/// "failed &lt;reason&gt;". The monitor makes itself a session leader and lets go of our pipes, so it outlives us.
/// Meanwhile the container's cgroup is made here (see <see cref="LaunchHandoff"/>).
/// </summary>
public static class MonitorLauncher
{
    public const string Running = "running";
    public const string Failed = "failed ";

    /// <summary>Returns null when the container runs, else why it did not start.</summary>
    public static string? Launch(string monitorExecutable, Store.StoreLocation store, ContainerRecord record)
    {
        string id = record.Id;
        if (!File.Exists(monitorExecutable))
            throw new EngineException("MonitorMissing", ErrorKind.ResourceUnavailable, monitorExecutable,
                $"the container monitor {monitorExecutable} is missing: the module folder is incomplete");
        var start = new ProcessStartInfo(monitorExecutable)
        {
            // The init runs from a sealed copy (CVE-2019-5736): ours, shared by every start from this process.
            ArgumentList = { "monitor", store.Root, store.RunRoot, id, SealedExecutable.SharedDescriptorOf(monitorExecutable).ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var monitor = Process.Start(start)!;
        try
        {
            LaunchHandoff.Send(monitor.StandardInput.BaseStream, record);
            monitor.StandardInput.Close();
        }
        catch (IOException)
        {
            // The monitor is gone already: its stderr, read below, says why.
        }
        string? line = monitor.StandardOutput.ReadLine();
        if (line == Running)
            return null;
        if (line is not null && line.StartsWith(Failed, StringComparison.Ordinal))
            return line[Failed.Length..].Replace("\\n", "\n", StringComparison.Ordinal);
        // The monitor died before it could report: what it printed on stderr says why.
        string stderr = monitor.StandardError.ReadToEnd().Trim();
        return $"the container monitor exited without reporting: {(stderr.Length > 0 ? stderr : "no message")}";
    }
}
