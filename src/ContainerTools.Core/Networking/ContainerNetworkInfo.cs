namespace ContainerTools.Core.Networking;

/// <summary>A network as Get-ContainerNetwork shows it.</summary>
/// <param name="Containers">Names of the containers attached to it now.</param>
public sealed record ContainerNetworkInfo(
    string Name,
    string Driver,
    string Subnet,
    string Gateway,
    bool Internal,
    string Bridge,
    IReadOnlyList<string> Containers,
    DateTime Created,
    string ConfigPath);
