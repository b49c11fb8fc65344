namespace ContainerTools.Core.Networking;

/// <summary>
/// How a container is networked, as given at creation (-Network, -IPAddress, -Publish, -NetworkAlias) and
/// kept in its record: a network of the store (the default bridge unless named), "none" (loopback only)
/// or "host" (the host's network namespace). Connect- and Disconnect-ContainerNetwork change the networks
/// it joins (<see cref="Connected"/>), as docker and podman keep such changes over restarts.
/// </summary>
public sealed record NetworkSettings
{
    public const string None = "none";
    public const string Host = "host";

    public string Mode { get; init; } = NetworkStore.DefaultNetwork;
    public string? IPAddress { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];

    /// <summary>
    /// The networks it joins at each start once a connect or disconnect changed them, the first as eth0; null
    /// while they are as created (<see cref="Mode"/> with <see cref="IPAddress"/> and <see cref="Aliases"/>).
    /// </summary>
    public IReadOnlyList<EndpointRequest>? Connected { get; init; }

    /// <summary>The networks it joins at its next start, in order; none for -Network none or host.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<EndpointRequest> Networks =>
        !JoinsNetwork ? [] : Connected ?? [new EndpointRequest(Mode, IPAddress, Aliases)];

    /// <summary>True when the container gets no network namespace of its own.</summary>
    public bool SharesHostNetwork => Mode == Host;

    /// <summary>True when the container joins a network of the store (not none, not host).</summary>
    public bool JoinsNetwork => Mode is not (None or Host);

    /// <summary>Reads the user's parameters; every port is parsed and checked here.</summary>
    public static NetworkSettings Parse(string? network, string? ipAddress, IReadOnlyList<string>? publish, IReadOnlyList<string>? aliases) => new()
    {
        Mode = string.IsNullOrEmpty(network) ? NetworkStore.DefaultNetwork : network,
        IPAddress = string.IsNullOrEmpty(ipAddress) ? null : ipAddress,
        Aliases = aliases?.Where(a => !string.IsNullOrWhiteSpace(a)).ToList() ?? [],
        Ports = publish?.SelectMany(PortMapping.ParseAll).ToList() ?? [],
    };

    /// <summary>
    /// The settings with a free host port in place of every <see cref="PortMapping.AnyHostPort"/>, chosen once,
    /// at creation, as podman does: the container keeps it over restarts. Not one of <paramref name="inUse"/>
    /// (the ports of the store's other containers, running or not) nor of the others chosen here.
    /// </summary>
    public NetworkSettings WithHostPortsChosen(IEnumerable<PortMapping> inUse)
    {
        // Without a network Validate refuses the ports: nothing to choose.
        if (!JoinsNetwork || Ports.All(p => p.HostPort != PortMapping.AnyHostPort))
            return this;
        var taken = inUse.Concat(Ports).Select(p => (p.HostPort, p.Protocol)).ToHashSet();
        return this with
        {
            Ports = Ports.Select(p => p.HostPort != PortMapping.AnyHostPort ? p : p with { HostPort = FreeHostPort.Pick(p, taken) }).ToList(),
        };
    }

    /// <summary>
    /// Checks the settings against the store at creation, so a container that could never start is never
    /// made: the network exists, a fixed address is inside it, ports and aliases need a network.
    /// </summary>
    public void Validate(Store.StoreLocation store)
    {
        if (!JoinsNetwork)
        {
            string? extra = IPAddress is not null ? "-IPAddress" : Ports.Count > 0 ? "-Publish" : Aliases.Count > 0 ? "-NetworkAlias" : null;
            if (extra is not null)
                throw new EngineException("NetworkModeConflict", ErrorKind.InvalidArgument, Mode,
                    $"{extra} needs a network; -Network {Mode} has none.");
            return;
        }
        var networking = new ContainerNetworking(store);
        networking.Validate(new EndpointRequest(Mode, IPAddress, Aliases), Ports);
    }

    /// <summary>The settings with <paramref name="network"/> joined last (it becomes the next ethN).</summary>
    public NetworkSettings WithConnected(EndpointRequest network) => this with { Connected = [.. Networks, network] };

    /// <summary>The settings without network <paramref name="name"/>.</summary>
    public NetworkSettings WithDisconnected(string name) => this with { Connected = Networks.Where(n => n.Network != name).ToList() };

    /// <summary>
    /// What to ask of ContainerNetworking.Attach when the container starts. Ports are published on the first
    /// network; a container disconnected from every network keeps them for when it is connected again.
    /// </summary>
    public NetworkRequest Request(string? hostsFile) => new(Networks, Networks.Count > 0 ? Ports : [], hostsFile);
}
