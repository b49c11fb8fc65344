namespace ContainerTools.Core.Containers;

/// <summary>
/// What the health checks of a container's current run found (health.json, written by its <see cref="Runtime.HealthChecker"/>):
/// starting until a probe passes or enough fail, then healthy or unhealthy; the last probes, newest last.
/// <see cref="RunStarted"/> names the run (its start time, as the state records it).
/// </summary>
public sealed record ContainerHealth(string Status, int FailingStreak, IReadOnlyList<HealthProbe> Log, DateTime? RunStarted)
{
    public const string Starting = "starting";
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";

    /// <summary>As Docker keeps them: the last five probes.</summary>
    private const int Kept = 5;

    public static ContainerHealth ForNewRun(DateTime? started) => new(Starting, 0, [], started);

    /// <summary>
    /// After <paramref name="probe"/>: a pass is healthy at once; a failure counts toward <paramref name="check"/>'s
    /// retries unless it came within its start period, and enough in a row are unhealthy.
    /// </summary>
    public ContainerHealth After(HealthProbe probe, HealthCheck check, bool inStartPeriod)
    {
        var log = Log.Append(probe).TakeLast(Kept).ToList();
        if (probe.ExitCode == 0)
            return new ContainerHealth(Healthy, 0, log, RunStarted);
        if (inStartPeriod)
            return this with { Log = log };
        int streak = FailingStreak + 1;
        return new ContainerHealth(streak >= check.Retries ? Unhealthy : Status, streak, log, RunStarted);
    }
}

/// <summary>One health probe: when it ran, its exit code (-1: it timed out) and the start of its output.</summary>
public sealed record HealthProbe(DateTime Start, DateTime End, int ExitCode, string Output);
