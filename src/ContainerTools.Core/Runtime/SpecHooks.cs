namespace ContainerTools.Core.Runtime;

/// <summary>The OCI config's hooks: programs the runtime runs at points of a container's life, the state on their stdin.</summary>
public sealed record SpecHooks
{
    public List<SpecHook> Prestart { get; init; } = [];
    public List<SpecHook> CreateRuntime { get; init; } = [];
    /// <summary>Run by the init in the container's namespaces, before pivot_root (path resolved on the host).</summary>
    public List<SpecHook> CreateContainer { get; init; } = [];
    /// <summary>Run by the init as the container's process, just before the program (path resolved in the container).</summary>
    public List<SpecHook> StartContainer { get; init; } = [];
    public List<SpecHook> Poststart { get; init; } = [];
    public List<SpecHook> Poststop { get; init; } = [];
}

public sealed record SpecHook
{
    public required string Path { get; init; }
    public List<string>? Args { get; init; }
    public List<string>? Env { get; init; }
    /// <summary>Seconds; the hook is killed and counted as failed after that.</summary>
    public int? Timeout { get; init; }
}
