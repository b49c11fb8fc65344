using ContainerTools.Core.Containers;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Reads a container's log and, when following, goes on reading what its monitor appends until the
/// container has ended and every line it wrote has been read.
/// </summary>
public static class LogFollower
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>The entries from <paramref name="offset"/> on; with <paramref name="follow"/>, until the container ends.</summary>
    public static IEnumerable<LogEntry> Read(ContainerStore store, string id, bool follow, CancellationToken cancel, long offset = 0)
    {
        string path = store.Paths(id).Log;
        var batch = new List<LogEntry>();
        while (true)
        {
            // Whether it ran is decided before reading, so the last lines written before the end are never missed.
            bool ended = !follow || store.Read(id) is not { IsRunning: true };
            offset = ContainerLog.Read(path, offset, batch);
            foreach (var entry in batch)
                yield return entry;
            batch.Clear();
            if (ended)
                yield break;
            cancel.WaitHandle.WaitOne(Interval);
            cancel.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Where the log ends now: following from here gives only what comes next.</summary>
    public static long End(ContainerStore store, string id) =>
        File.Exists(store.Paths(id).Log) ? new FileInfo(store.Paths(id).Log).Length : 0;
}
