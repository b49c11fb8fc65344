using ContainerTools.Core.Isolation.Cgroups;

namespace ContainerTools.Core.Statistics;

/// <summary>What the sampler watches for one container: its group and a process in its network namespace (none when it is not running).</summary>
public sealed record StatisticsTarget(string Id, string Name, ICgroup? Group, int? Pid);

/// <summary>
/// Reads every target's group once per interval and turns the difference between readings into rates
/// (CPU percent) beside the current values. The first set comes one interval after the first reading,
/// so even a single set has a real CPU rate, as `docker stats --no-stream` does.
/// </summary>
public static class StatisticsSampler
{
    public static IEnumerable<IReadOnlyList<ContainerStatistic>> Sample(
        IReadOnlyList<StatisticsTarget> targets, TimeSpan interval, CancellationToken cancellation)
    {
        long hostMemory = HostMemory.TotalBytes();
        var previous = targets.Select(Read).ToList();
        while (!cancellation.IsCancellationRequested)
        {
            if (cancellation.WaitHandle.WaitOne(interval))
                yield break;
            var current = targets.Select(Read).ToList();
            yield return targets.Select((t, i) => Statistic(t, previous[i], current[i], hostMemory)).ToList();
            previous = current;
        }
    }

    /// <summary>
    /// A container that is not running (nothing read) is all zeros, its memory limit too, as `docker stats
    /// --no-stream` shows it: the host's memory would read as the limit of a container that has none to use.
    /// </summary>
    public static ContainerStatistic Statistic(StatisticsTarget target, ResourceUsage? before, ResourceUsage? after, long hostMemory)
    {
        if (after is null)
            return new ContainerStatistic(target.Id, target.Name, 0, 0, 0, 0, 0, 0, 0, 0, 0, DateTimeOffset.UtcNow);
        double elapsed = before is null ? 0 : (after.ReadAt - before.ReadAt).TotalMilliseconds * 1e6;
        double cpuPercent = elapsed > 0 ? Math.Max(0, after.CpuNanoseconds - before!.CpuNanoseconds) / elapsed * 100 : 0;
        long limit = after.MemoryLimitBytes is long l && l < hostMemory ? l : hostMemory;
        var network = target.Pid is int pid ? NetworkCounters.Of(pid) : NetworkCounters.Zero;
        return new ContainerStatistic(
            target.Id, target.Name,
            Math.Round(cpuPercent, 2),
            after.MemoryBytes, limit, Math.Round(100.0 * after.MemoryBytes / limit, 2),
            network.Received, network.Sent,
            after.BlockReadBytes, after.BlockWriteBytes,
            after.Pids, after.ReadAt);
    }

    /// <summary>A container without a group, or whose group vanished meanwhile, reads as nothing.</summary>
    private static ResourceUsage? Read(StatisticsTarget target)
    {
        try
        {
            return target.Group?.ReadUsage();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
