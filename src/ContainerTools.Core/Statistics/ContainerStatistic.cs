namespace ContainerTools.Core.Statistics;

/// <summary>
/// One container's resource use at one moment, as `docker stats` shows it. CPUPercent is of one core
/// (a container busy on two cores shows 200). Sizes and counters are bytes; MemoryLimit is the host's
/// memory when a running container has no limit; a container that is not running reads all zeros.
/// </summary>
public sealed record ContainerStatistic(
    string Id,
    string Name,
    double CPUPercent,
    long MemoryUsage,
    long MemoryLimit,
    double MemoryPercent,
    long NetworkInput,
    long NetworkOutput,
    long BlockRead,
    long BlockWrite,
    long Pids,
    DateTimeOffset ReadAt);
