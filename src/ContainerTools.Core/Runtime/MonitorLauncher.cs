using System.Diagnostics;
using ContainerTools.Core.Isolation.Cgroups;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Starts `ctmon monitor` for a container and waits for its one-line report on a pipe: "running", or
/// "failed &lt;reason&gt;". The monitor makes itself a session leader and lets go of our pipes, so it outlives us.
/// Meanwhile the container's cgroup is made here, and its stdin says so (see <see cref="ReceiveCgroupMade"/>).
/// </summary>
public static class MonitorLauncher
{
    public const string Running = "running";
    public const string Failed = "failed ";

    /// <summary>The byte on the monitor's stdin that says its container's cgroup is made.</summary>
    private const byte CgroupMade = 1;

    /// <summary>Returns null when the container runs, else why it did not start.</summary>
    /// <param name="limits">The container's limits, for its cgroup.</param>
    public static string? Launch(string monitorExecutable, Store.StoreLocation store, string id, ResourceLimits limits)
    {
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
        bool made = TryMakeCgroup(id, limits);
        try
        {
            if (made)
                monitor.StandardInput.BaseStream.WriteByte(CgroupMade);
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

    /// <summary>
    /// The container's cgroup, made here while the monitor's runtime starts (~3 ms, and this process is warm),
    /// rather than by the monitor after it: ~1 ms off every start. A failure leaves it, and its error, to the monitor.
    /// </summary>
    private static bool TryMakeCgroup(string id, ResourceLimits limits)
    {
        try
        {
            Cgroups.Detect().Create(Cgroups.PathFor(id), limits);
            return true;
        }
        catch (Exception e) when (e is IOException or EngineException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>In the monitor: whether the launcher made the cgroup (its byte on <paramref name="fd"/>, or EOF: not). Closes it.</summary>
    public static unsafe bool ReceiveCgroupMade(int fd)
    {
        if (fd < 0)
            return false;
        byte received = 0;
        nint read;
        do
            read = Native.Linux.read(fd, &received, 1);
        while (read < 0 && Native.Errno.Last == Native.Errno.EINTR);
        Native.Linux.close(fd);
        return read == 1 && received == CgroupMade;
    }
}
