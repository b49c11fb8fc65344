namespace ContainerTools.Core.Networking;

/// <summary>What a container asks of the network when it starts.</summary>
/// <param name="Networks">The networks to join, the first as eth0; empty for loopback only (-Network none).</param>
/// <param name="Ports">Published ports, on the first network.</param>
/// <param name="HostsFile">The container's /etc/hosts (host-side path) to keep listing its peers; null for none.</param>
public sealed record NetworkRequest(IReadOnlyList<EndpointRequest> Networks, IReadOnlyList<PortMapping> Ports, string? HostsFile = null);

/// <summary>One network to join.</summary>
/// <param name="IPAddress">A fixed address inside the network's subnet; null for the next free one.</param>
/// <param name="Aliases">Extra names peers on this network resolve to the container.</param>
public sealed record EndpointRequest(string Network, string? IPAddress = null, IReadOnlyList<string>? Aliases = null);
