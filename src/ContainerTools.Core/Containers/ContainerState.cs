namespace ContainerTools.Core.Containers;

/// <summary>
/// What a container is doing (state.json), written atomically by its monitor. A Running state whose
/// monitor is gone is read back as Exited by <see cref="ContainerSnapshot"/>.
/// </summary>
public sealed record ContainerState
{
    public ContainerStatus Status { get; init; } = ContainerStatus.Created;
    public ProcessIdentity? Monitor { get; init; }
    public ProcessIdentity? Init { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    /// <summary>0-255, or 128+signal; null when it cannot be known (the monitor died first).</summary>
    public int? ExitCode { get; init; }
    public bool OomKilled { get; init; }
    /// <summary>Why the last start failed, if it did.</summary>
    public string? Error { get; init; }
    /// <summary>Its restart policy started it again this many times since the last Start-Container (docker's RestartCount).</summary>
    public int RestartCount { get; init; }
    /// <summary>Exited, and its monitor waits out <see cref="RestartBackoff"/> to start it again.</summary>
    public bool Restarting { get; init; }
    /// <summary>The last wait before a restart, in milliseconds: the next quick one waits twice as long (see <see cref="RestartPolicy.Backoff"/>).</summary>
    public int RestartBackoff { get; init; }
}
