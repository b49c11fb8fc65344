using System.Diagnostics;
using System.Text;
using ContainerTools.Core.Containers;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// `ctmon health ROOT RUNROOT ID`: probes a container's health (its record's <see cref="HealthCheck"/>) for as long
/// as the monitor it was started beside lives, so through the restarts of its restart policy too. Each run starts
/// as starting; a probe (the check exec'd in the container, as Invoke-ContainerCommand does) comes every interval
/// while it runs, none while it is paused or between runs; what they find goes to health.json. Started detached
/// by the start that started that monitor (<see cref="Launch"/>); it ends with the monitor, or the container.
/// </summary>
public sealed class HealthChecker(ContainerStore store, string id, string helperExecutable)
{
    public const string Mode = "health";

    /// <summary>How often it looks for the next run while the monitor waits to restart the container.</summary>
    private static readonly TimeSpan BetweenRuns = TimeSpan.FromMilliseconds(100);

    /// <summary>As Docker keeps it: the start of a probe's output.</summary>
    private const int OutputKept = 4096;

    /// <summary>Starts the checker of a container just started (with a health check), off this process's session.</summary>
    public static void Launch(string executable, Store.StoreLocation location, string id)
    {
        using var process = ChildStarts.StartMonitor(new ProcessStartInfo(executable) { ArgumentList = { Mode, location.Root, location.RunRoot, id } });
    }

    public int Run()
    {
        var check = store.ReadRecord(id)?.HealthCheck;
        using var monitor = PidFd.Open(store.ReadState(id)?.Monitor);
        if (check is null || monitor is null)
            return 0;
        ProcessIdentity? run = null;
        DateTime runStarted = default;
        var health = ContainerHealth.ForNewRun(null);
        // The state alone says what it needs (a dead monitor ends this loop through its descriptor): no record,
        // networks or health read again at every look.
        while (store.ReadState(id) is { } state)
        {
            if (state.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
            {
                if (!state.Restarting || monitor.WaitForExit(BetweenRuns))
                    return 0;
                continue;
            }
            if (state.Init != run)
            {
                (run, runStarted, health) = (state.Init, state.StartedAt ?? DateTime.UtcNow, ContainerHealth.ForNewRun(state.StartedAt));
                if (!TryWrite(health))
                    return 0;
            }
            if (monitor.WaitForExit(check.Interval))
                return 0;
            if (!IsRunning(run))
                continue;
            var probe = Probe(check);
            // A run that ended meanwhile is not judged by a probe that may have met its end.
            if (!IsRunning(run))
                continue;
            health = health.After(probe, check, inStartPeriod: probe.Start - runStarted < check.StartPeriod);
            if (!TryWrite(health))
                return 0;
            ReturnProbeMemory();
        }
        return 0;
    }

    /// <summary>The run is still the current one and not paused (Docker probes no frozen container).</summary>
    private bool IsRunning(ProcessIdentity? run) => store.ReadState(id) is { Status: ContainerStatus.Running } state && state.Init == run;

    private HealthProbe Probe(HealthCheck check)
    {
        var start = DateTime.UtcNow;
        try
        {
            using var exec = new ContainerExec(store, helperExecutable).Start(id, new ExecOptions { Command = check.Command });
            using var timeout = new CancellationTokenSource(check.Timeout);
            try
            {
                exec.WaitForStart(timeout.Token);
                var output = new StringBuilder();
                foreach (var line in exec.Output(timeout.Token))
                {
                    if (output.Length < OutputKept)
                        output.Append(line.Line).Append('\n');
                }
                int exitCode = exec.WaitForExit();
                return new HealthProbe(start, DateTime.UtcNow, exitCode, output.Length > OutputKept ? output.ToString(0, OutputKept) : output.ToString());
            }
            catch (OperationCanceledException)
            {
                exec.Kill();
                return new HealthProbe(start, DateTime.UtcNow, -1, $"Health check exceeded timeout ({check.Timeout.TotalSeconds:0.###}s)");
            }
        }
        catch (ExecStartException e)
        {
            return new HealthProbe(start, DateTime.UtcNow, e.ExitCode, e.Message);
        }
        catch (Exception e) when (e is EngineException or IOException)
        {
            // Not running any more, say: whether that run counts is the caller's to decide.
            return new HealthProbe(start, DateTime.UtcNow, -1, e.Message);
        }
    }

    /// <summary>
    /// What a probe allocated (its process, pipes, lines) is garbage once it is recorded, but the GC keeps its memory
    /// committed until the next: handed back here, as the monitor does after its setup, since a checker lives as long as its container.
    /// </summary>
    private static void ReturnProbeMemory() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>False once the container is gone (removed).</summary>
    private bool TryWrite(ContainerHealth health)
    {
        try
        {
            store.WriteHealth(id, health);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }
}
