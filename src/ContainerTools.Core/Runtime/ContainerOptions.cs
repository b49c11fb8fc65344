namespace ContainerTools.Core.Runtime;

/// <summary>What the user asked for when creating a container; null means "what the image says".</summary>
public sealed record ContainerOptions
{
    public string? Name { get; init; }
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public string? WorkingDirectory { get; init; }
    public string? User { get; init; }
    public string? Hostname { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>The image a container is made from: its reference, id, config and layer directories (bottom first).</summary>
public sealed record ContainerImage(string Reference, string? Id, ImageDefaults Defaults, IReadOnlyList<string> LayerDirectories);
