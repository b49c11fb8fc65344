namespace ContainerTools.Core.Volumes;

/// <summary>What a volume is (volumes/&lt;name&gt;/volume.json); its data lives beside it in _data.</summary>
public sealed record VolumeRecord
{
    public required string Name { get; init; }
    public required DateTime Created { get; init; }
    /// <summary>Always "local": a directory of the store, as Docker's default driver.</summary>
    public string Driver { get; init; } = "local";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
