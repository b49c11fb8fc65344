namespace ContainerTools.Core.Runtime;

/// <summary>What an image says about how to run it (the OCI image config's process fields).</summary>
public sealed record ImageDefaults
{
    public IReadOnlyList<string> Env { get; init; } = [];
    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> Cmd { get; init; } = [];
    public string? WorkingDir { get; init; }
    public string? User { get; init; }
    public string? StopSignal { get; init; }
    /// <summary>The image's VOLUMEs: paths that get an anonymous volume each unless the user mounts something there.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];
    /// <summary>The image's HEALTHCHECK, if it has one to run.</summary>
    public Containers.HealthCheck? Healthcheck { get; init; }
}
