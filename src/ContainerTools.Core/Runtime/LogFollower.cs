using ContainerTools.Core.Containers;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Reads a container's log and, when following, goes on reading what its monitor appends until the
/// container has ended and every line it wrote has been read.
/// </summary>
public static class LogFollower
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>The entries from <paramref name="offset"/> on; with <paramref name="follow"/>, until the container ends (its restarts too).</summary>
    public static IEnumerable<LogEntry> Read(ContainerStore store, string id, bool follow, CancellationToken cancel, long offset = 0)
    {
        string path = store.Paths(id).Log;
        var batch = new List<LogEntry>();
        PidFd? monitor = null;
        try
        {
            while (true)
            {
                // Whether it ran is decided before reading, so the last lines written before the end are never missed.
                var running = follow && store.Read(id) is { } container && (container.IsRunning || container.State.Restarting) ? container : null;
                offset = ContainerLog.Read(path, offset, batch);
                foreach (var entry in batch)
                    yield return entry;
                batch.Clear();
                if (running is null)
                    yield break;
                // Its monitor exits right after recording the end: waiting on it wakes then, not a tick later.
                monitor ??= PidFd.Open(running.State.Monitor);
                if (monitor is null)
                    cancel.WaitHandle.WaitOne(Interval);
                else
                    monitor.WaitForExit(Interval, cancel);
                cancel.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            monitor?.Dispose();
        }
    }

    /// <summary>Where the log ends now: following from here gives only what comes next.</summary>
    public static long End(ContainerStore store, string id) =>
        File.Exists(store.Paths(id).Log) ? new FileInfo(store.Paths(id).Log).Length : 0;
}
