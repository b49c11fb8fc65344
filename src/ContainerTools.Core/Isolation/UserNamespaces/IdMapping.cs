using System.Text.Json.Serialization;

namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>
/// One line of a uid_map or gid_map, as OCI's linux.uidMappings/gidMappings entry: <see cref="Size"/> ids from
/// <see cref="ContainerId"/> inside are the ids from <see cref="HostId"/> on the host.
/// </summary>
public sealed record IdMapping(
    [property: JsonPropertyName("containerID")] uint ContainerId,
    [property: JsonPropertyName("hostID")] uint HostId,
    [property: JsonPropertyName("size")] uint Size)
{
    /// <summary>A container's slice: its root and the ids above it are the slice's.</summary>
    public static IdMapping RootTo(IdRange slice) => new(0, (uint)slice.Start, (uint)slice.Count);

    public override string ToString() => $"{ContainerId} {HostId} {Size}";
}
