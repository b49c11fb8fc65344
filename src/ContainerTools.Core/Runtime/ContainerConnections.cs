using ContainerTools.Core.Containers;
using ContainerTools.Core.Networking;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Connect- and Disconnect-ContainerNetwork as docker and podman do them: the change is recorded, so the
/// container is on the networks it was left on after a restart, and a container that is not running may be
/// connected or disconnected too (it joins or leaves at its next start). A running one changes at once as well.
/// Each change holds the container's lock (before the networks lock, as a start takes them), so no start or
/// stop runs between the live change and the record.
/// </summary>
public sealed class ContainerConnections(ContainerStore store)
{
    private readonly ContainerNetworking _networking = new(store.Location);

    public ContainerSnapshot Connect(string nameOrId, EndpointRequest request)
    {
        using var locked = store.FindLocked(nameOrId);
        var container = locked.Container;
        var settings = Joining(container);
        if (settings.Networks.Any(n => n.Network == request.Network))
            throw new EngineException("AlreadyConnected", ErrorKind.AlreadyExists, request.Network,
                $"Container {container.Name} is connected to network '{request.Network}' already.");
        var changed = settings.WithConnected(request);
        bool live = container.IsRunning;
        if (live)
            _networking.Connect(container.Id, request);
        else // the network exists, a fixed address is in it, ports may be published there if it becomes the first
            _networking.Validate(request, changed.Networks.Count == 1 ? settings.Ports : []);
        try
        {
            return Record(container, changed);
        }
        catch
        {
            // Not recorded: not connected now either.
            if (live)
            {
                try { _networking.Disconnect(container.Id, request.Network); } catch (EngineException) { /* the stop's detach takes it off */ }
            }
            throw;
        }
    }

    public ContainerSnapshot Disconnect(string nameOrId, string network)
    {
        using var locked = store.FindLocked(nameOrId);
        var container = locked.Container;
        var settings = Joining(container);
        if (settings.Networks.All(n => n.Network != network))
            throw new EngineException("NotConnected", ErrorKind.NotFound, network,
                $"Container {container.Name} is not connected to network '{network}'.");
        var changed = settings.WithDisconnected(network);
        // Ports go with the first network: an internal one would keep the container from starting.
        if (settings.Ports.Count > 0 && changed.Networks.Count > 0 && changed.Networks[0].Network != settings.Networks[0].Network
            && new NetworkStore(store.Location).Get(changed.Networks[0].Network).Internal)
            throw new EngineException("PortsNeedNetwork", ErrorKind.InvalidOperation, network,
                $"Container {container.Name} publishes ports on its first network: without '{network}' that is '{changed.Networks[0].Network}', which is internal.");
        if (container.Network?.Endpoints.Any(e => e.Network == network) == true)
            _networking.Disconnect(container.Id, network);
        return Record(container, changed);
    }

    /// <summary>The container's settings; refused for -Network none and host, which join no network of the store (as podman refuses them).</summary>
    private static NetworkSettings Joining(ContainerSnapshot container) =>
        container.Record.Network is { JoinsNetwork: true } settings ? settings
            : throw new EngineException("NetworkModeConflict", ErrorKind.InvalidOperation, container.Name,
                $"Container {container.Name} has -Network {container.Record.Network.Mode}: it joins no network of the store, nor leaves one.");

    private ContainerSnapshot Record(ContainerSnapshot container, NetworkSettings settings)
    {
        var record = container.Record with { Network = settings };
        store.WriteRecord(record);
        return container with { Record = record, Network = _networking.Get(container.Id) };
    }
}
