namespace ContainerTools.Core.Networking;

/// <summary>
/// Everything a container is plugged into, kept in the run root from before the first CNI ADD until every
/// DEL has succeeded, so a cleanup after any crash can still undo it (the spec's DEL needs the same config
/// and the previous result).
/// </summary>
/// <param name="Netns">The container's network namespace, pinned by a bind mount under the run root, so it
/// outlives the container's processes until the DELs have run.</param>
/// <param name="HostsFile">The container's /etc/hosts on the host side, kept listing its peers; null for none.</param>
public sealed record NetworkAttachment(
    string ContainerId,
    string ContainerName,
    string Netns,
    string? HostsFile,
    IReadOnlyList<NetworkEndpoint> Endpoints);

/// <summary>A container's interface on one network.</summary>
/// <param name="ConfList">The network's CNI configuration at ADD time: DEL must see the same one.</param>
/// <param name="Result">The CNI result of the last plugin; null while the ADD has not completed.</param>
public sealed record NetworkEndpoint(
    string Network,
    string Interface,
    string? IPAddress,
    int PrefixLength,
    string? Gateway,
    string? MacAddress,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<PortMapping> Ports,
    string ConfList,
    string? Result);
