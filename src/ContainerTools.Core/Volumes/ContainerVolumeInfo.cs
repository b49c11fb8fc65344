namespace ContainerTools.Core.Volumes;

/// <summary>A volume as Get-ContainerVolume shows it.</summary>
/// <param name="Mountpoint">The host directory mounted into containers.</param>
/// <param name="Size">Bytes of the files in it.</param>
/// <param name="UsedBy">Names of the containers that mount it (running or not).</param>
public sealed record ContainerVolumeInfo(
    string Name,
    string Driver,
    string Mountpoint,
    DateTime Created,
    IReadOnlyDictionary<string, string> Labels,
    long Size,
    IReadOnlyList<string> UsedBy);
