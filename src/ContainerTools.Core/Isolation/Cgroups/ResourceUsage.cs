namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>
/// What a group has used, read from its own accounting files. Counters (CPU time, block I/O, throttled
/// periods) only grow; a rate is the difference of two readings. Null limits mean unlimited.
/// </summary>
public sealed record ResourceUsage(
    long CpuNanoseconds,
    long CpuThrottledPeriods,
    long MemoryBytes,
    long? MemoryLimitBytes,
    long Pids,
    long? PidsLimit,
    long BlockReadBytes,
    long BlockWriteBytes,
    DateTimeOffset ReadAt);
