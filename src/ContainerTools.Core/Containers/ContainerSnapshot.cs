namespace ContainerTools.Core.Containers;

/// <summary>
/// A container as it is now: its record and its state, with a Running state whose monitor has died read
/// back as Exited (exit code unknown), and a Restarting one as not restarting. Reading one never spawns a process: Get-Container stays fast.
/// </summary>
public sealed record ContainerSnapshot(ContainerRecord Record, ContainerState State)
{
    /// <summary>Its interfaces, addresses and published ports while it is attached to networks (running).</summary>
    public Networking.NetworkAttachment? Network { get; init; }
    /// <summary>What its health checks found while it runs (none without a health check).</summary>
    public ContainerHealth? Health { get; init; }

    public string Id => Record.Id;
    public string Name => Record.Name;
    public ContainerStatus Status => State.Status;
    /// <summary>Its processes exist: running, or paused (frozen).</summary>
    public bool IsRunning => State.Status is ContainerStatus.Running or ContainerStatus.Paused;

    public static ContainerSnapshot Observe(ContainerRecord record, ContainerState? state, Networking.NetworkAttachment? network = null, ContainerHealth? health = null)
    {
        state ??= new ContainerState();
        if (state.Status is ContainerStatus.Running or ContainerStatus.Paused && state.Monitor is { IsAlive: false })
            state = state with { Status = ContainerStatus.Exited, FinishedAt = state.FinishedAt ?? DateTime.UtcNow };
        // A monitor killed in its back-off restarts nothing.
        if (state.Restarting && state.Monitor is { IsAlive: false })
            state = state with { Restarting = false };
        return new ContainerSnapshot(record, state)
        {
            Network = state.Status == ContainerStatus.Running ? network : null,
            // What the checker found for an earlier run says nothing of this one, which no probe has judged yet.
            Health = record.HealthCheck is null || state.Status is not (ContainerStatus.Running or ContainerStatus.Paused) ? null
                : health is { } found && found.RunStarted == state.StartedAt ? found : ContainerHealth.ForNewRun(state.StartedAt),
        };
    }
}
