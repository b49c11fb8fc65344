using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Networking;

/// <summary>
/// Plugs containers into networks and out again with the CNI plugins: loopback, then per network the
/// conflist's chain (bridge + host-local, portmap, firewall) in order for ADD and CHECK, in reverse for DEL.
/// The attachment record is written before the first ADD and removed after the last DEL, so Detach can
/// always finish what a crash interrupted. Every operation holds the store's "networks" lock.
/// </summary>
public sealed partial class ContainerNetworking(StoreLocation store, CniPlugin? plugins = null)
{
    private readonly CniPlugin _plugins = plugins ?? new CniPlugin();
    private readonly AttachmentStore _attachments = new(store);
    private readonly NetworkStore _networks = new(store);

    /// <summary>Where host-local keeps its leases: runtime state, like the interfaces it describes.</summary>
    internal static string IpamDirectory(StoreLocation store) => Path.Combine(store.RunRoot, "networks", "ipam");

    private string PinPath(string containerId) => Path.Combine(store.RunRoot, "networks", "netns", containerId);

    /// <summary>
    /// Attaches the network namespace at <paramref name="netnsPath"/> (such as /proc/&lt;pid&gt;/ns/net) to the
    /// requested networks. Bad input changes nothing; a failure half way undoes what was done.
    /// </summary>
    public NetworkAttachment Attach(string containerId, string containerName, string netnsPath, NetworkRequest request)
    {
        ValidateId(containerId);
        using var _ = FileLock.Acquire(store, NetworkStore.LockName);
        if (_attachments.Read(containerId) is not null)
            throw new EngineException("AlreadyAttached", ErrorKind.InvalidOperation, containerId,
                $"Container {containerName} is attached already; detach it first.");
        _networks.EnsureDefaultLocked();
        var all = _attachments.All();
        var plan = request.Networks.Select(r => (Request: r, Network: Routable(_networks.Definition(r.Network), all))).ToList();
        if (plan.Select(p => p.Network.Name).Distinct().Count() != plan.Count)
            throw new EngineException("DuplicateNetwork", ErrorKind.InvalidArgument, containerName, "A network is named twice.");
        var addresses = plan.Select(p => ValidateAddress(p.Network, p.Request.IPAddress, all)).ToList();
        ValidatePorts(request.Ports, plan.Count == 0 ? null : plan[0].Network, all);

        string pin = PinPath(containerId);
        var attachment = new NetworkAttachment(containerId, containerName, pin, request.HostsFile, []);
        _attachments.Write(attachment);
        try
        {
            NetworkNamespacePin.Pin(netnsPath, pin);
            _plugins.Run(CniCommand.Add, Loopback(), new CniTarget(containerId, pin, "lo"));
            for (int i = 0; i < plan.Count; i++)
            {
                attachment = AddEndpoint(attachment, plan[i].Network, "eth" + i, addresses[i],
                    plan[i].Request.Aliases ?? [], i == 0 ? request.Ports : []);
            }
        }
        catch
        {
            try { DetachLocked(containerId); } catch (Exception) { /* the record stays for a later Detach */ }
            throw;
        }
        PeerHosts.Update(_attachments.All());
        return attachment;
    }

    /// <summary>Adds a running container (attached before) to one more network, as the next ethN.</summary>
    public NetworkAttachment Connect(string containerId, EndpointRequest request)
    {
        ValidateId(containerId);
        using var _ = FileLock.Acquire(store, NetworkStore.LockName);
        var attachment = RequireAttachment(containerId);
        _networks.EnsureDefaultLocked();
        var all = _attachments.All();
        var network = _networks.Definition(request.Network);
        if (attachment.Endpoints.Any(e => e.Network == network.Name))
            throw new EngineException("AlreadyConnected", ErrorKind.AlreadyExists, request.Network,
                $"Container {attachment.ContainerName} is connected to network '{network.Name}' already.");
        network = Routable(network, all);
        var address = ValidateAddress(network, request.IPAddress, all);
        string name = Enumerable.Range(0, 1000).Select(i => "eth" + i).First(n => attachment.Endpoints.All(e => e.Interface != n));
        try
        {
            attachment = AddEndpoint(attachment, network, name, address, request.Aliases ?? [], []);
        }
        catch
        {
            // A plugin failed half way (no address left, say): undo the others, or the container would keep a
            // dead interface and a record that says it is connected.
            try { DisconnectLocked(containerId, network.Name); } catch (Exception) { /* recorded: Disconnect or Detach finishes it */ }
            throw;
        }
        PeerHosts.Update(_attachments.All());
        return attachment;
    }

    /// <summary>
    /// Gives the peers of a renamed container its new name, as docker's resolver does at once; a container not
    /// attached takes its name with it at its next start.
    /// </summary>
    public void Rename(string containerId, string newName)
    {
        ValidateId(containerId);
        using var _ = FileLock.Acquire(store, NetworkStore.LockName);
        if (_attachments.Read(containerId) is not { } attachment)
            return;
        _attachments.Write(attachment with { ContainerName = newName });
        PeerHosts.Update(_attachments.All());
    }

    /// <summary>Takes a container off one network (CNI DEL of that network's chain).</summary>
    public void Disconnect(string containerId, string network)
    {
        ValidateId(containerId);
        using var _ = FileLock.Acquire(store, NetworkStore.LockName);
        DisconnectLocked(containerId, network);
    }

    /// <summary>
    /// Undoes everything Attach and Connect did: DEL of every network, the namespace pin, the record.
    /// Idempotent; safe after a crash of the container, its monitor or an Attach half way.
    /// </summary>
    public void Detach(string containerId)
    {
        ValidateId(containerId);
        if (_attachments.Read(containerId) is null && !File.Exists(PinPath(containerId)))
            return; // never attached (none, host) or detached already: no need to wait for the lock
        using var _ = FileLock.Acquire(store, NetworkStore.LockName);
        DetachLocked(containerId);
    }

    /// <summary>CNI CHECK of every network of the container: throws when a plugin finds its work undone.</summary>
    public void Check(string containerId)
    {
        ValidateId(containerId);
        using var _ = FileLock.Acquire(store, NetworkStore.LockName);
        var attachment = RequireAttachment(containerId);
        foreach (var endpoint in attachment.Endpoints)
        {
            var list = JsonNode.Parse(endpoint.ConfList)!.AsObject();
            var result = endpoint.Result is null ? null : JsonNode.Parse(endpoint.Result)!.AsObject();
            foreach (var plugin in Plugins(list))
                _plugins.Run(CniCommand.Check, PluginConfig(list, plugin, result, endpoint), new CniTarget(containerId, attachment.Netns, endpoint.Interface));
        }
    }

    /// <summary>
    /// Checks a request against the networks as they are now, without attaching anything: the network
    /// exists, a fixed address is a host address of it, ports may be published there. Addresses and ports
    /// in use are checked again (under the lock) when the container attaches.
    /// </summary>
    public void Validate(EndpointRequest request, IReadOnlyList<PortMapping> ports)
    {
        var network = _networks.Definition(request.Network);
        var all = _attachments.All();
        ValidateAddress(network, request.IPAddress, all);
        ValidatePorts(ports, network, all);
    }

    /// <summary>
    /// Attaches a starting container, whose init (<paramref name="pid"/>) waits in its new network namespace,
    /// as its settings say. Nothing to do for host (no namespace of its own) or none (the init raises loopback).
    /// </summary>
    public void AttachContainer(string containerId, string containerName, int pid, NetworkSettings settings, string hostsFile)
    {
        if (settings.JoinsNetwork)
            Attach(containerId, containerName, $"/proc/{pid}/ns/net", settings.Request(hostsFile));
    }

    /// <summary>The container's attachment; null when it is attached to nothing.</summary>
    public NetworkAttachment? Get(string containerId)
    {
        ValidateId(containerId);
        return _attachments.Read(containerId);
    }

    /// <summary>The attachments that have an endpoint on <paramref name="network"/>. Caller holds the lock.</summary>
    internal IReadOnlyList<NetworkAttachment> AttachedTo(string network) =>
        _attachments.All().Where(a => a.Endpoints.Any(e => e.Network == network)).ToList();

    internal void DisconnectLocked(string containerId, string network)
    {
        var attachment = RequireAttachment(containerId);
        var endpoint = attachment.Endpoints.FirstOrDefault(e => e.Network == network)
            ?? throw new EngineException("NotConnected", ErrorKind.NotFound, network,
                $"Container {attachment.ContainerName} is not connected to network '{network}'.");
        DeleteEndpoint(attachment, endpoint);
        _attachments.Write(attachment with { Endpoints = attachment.Endpoints.Where(e => e != endpoint).ToList() });
        PeerHosts.Update(_attachments.All());
    }

    private void DetachLocked(string containerId)
    {
        string pin = PinPath(containerId);
        var attachment = _attachments.Read(containerId);
        if (attachment is null)
        {
            NetworkNamespacePin.Unpin(pin);
            return;
        }
        var remaining = attachment.Endpoints.ToList();
        Exception? failure = null;
        foreach (var endpoint in attachment.Endpoints.Reverse())
        {
            try
            {
                DeleteEndpoint(attachment, endpoint);
                remaining.Remove(endpoint);
            }
            catch (EngineException e)
            {
                failure ??= e;
            }
        }
        if (failure is not null)
        {
            _attachments.Write(attachment with { Endpoints = remaining });
            throw failure;
        }
        NetworkNamespacePin.Unpin(pin);
        _attachments.Delete(containerId);
        PeerHosts.Update(_attachments.All());
    }

    private NetworkAttachment RequireAttachment(string containerId) =>
        _attachments.Read(containerId) ?? throw new EngineException("NotAttached", ErrorKind.InvalidOperation, containerId,
            $"Container {containerId} has no network namespace attached (is it running?).");

    /// <summary>Runs the ADD chain for one network; the endpoint is recorded (pending) before the first plugin runs.</summary>
    private NetworkAttachment AddEndpoint(NetworkAttachment attachment, NetworkDefinition network, string interfaceName,
        IPAddress? address, IReadOnlyList<string> aliases, IReadOnlyList<PortMapping> ports)
    {
        string confList = NetworkConfList.Render(network);
        var pending = new NetworkEndpoint(network.Name, interfaceName, address?.ToString(), network.Subnet.PrefixLength,
            null, null, aliases, ports, confList, null);
        attachment = attachment with { Endpoints = [.. attachment.Endpoints, pending] };
        _attachments.Write(attachment);

        var list = JsonNode.Parse(confList)!.AsObject();
        var target = new CniTarget(attachment.ContainerId, attachment.Netns, interfaceName);
        JsonObject? result = null;
        var endpoint = pending;
        foreach (var plugin in Plugins(list))
        {
            result = _plugins.Run(CniCommand.Add, PluginConfig(list, plugin, result, pending), target) ?? result;
            // Recorded after every plugin: a DEL after a crash gets the addresses the later plugins' rules name.
            if (result is null)
                continue;
            var added = Describe(pending, result);
            attachment = attachment with { Endpoints = [.. attachment.Endpoints.Select(e => e == endpoint ? added : e)] };
            endpoint = added;
            _attachments.Write(attachment);
        }
        if (result is null)
            throw new EngineException("CniPluginFailed", ErrorKind.InvalidOperation, attachment.ContainerId,
                $"The CNI chain of network '{network.Name}' returned no result.");
        return attachment;
    }

    /// <summary>The DEL chain for one endpoint, last plugin first, with the config and result of its ADD.</summary>
    private void DeleteEndpoint(NetworkAttachment attachment, NetworkEndpoint endpoint)
    {
        // Without the pin the namespace is gone (or never was): the spec's DEL takes an empty CNI_NETNS then.
        string netns = NetworkNamespacePin.IsPinned(attachment.Netns) ? attachment.Netns : "";
        var list = JsonNode.Parse(endpoint.ConfList)!.AsObject();
        var result = endpoint.Result is null ? null : JsonNode.Parse(endpoint.Result)!.AsObject();
        var target = new CniTarget(attachment.ContainerId, netns, endpoint.Interface);
        EngineException? failure = null;
        foreach (var plugin in Plugins(list).Reverse())
        {
            try
            {
                _plugins.Run(CniCommand.Del, PluginConfig(list, plugin, result, endpoint), target);
            }
            catch (EngineException e)
            {
                failure ??= e; // the other plugins' DELs still run: each owns different host state
            }
        }
        if (failure is not null)
            throw failure;
    }

    private static IEnumerable<JsonObject> Plugins(JsonObject list) => list["plugins"]!.AsArray().Select(p => p!.AsObject());

    /// <summary>
    /// One plugin's stdin per the spec: its own object plus the list's name and cniVersion, the previous
    /// result, and runtimeConfig for the capabilities it declares (ips, portMappings).
    /// </summary>
    private JsonObject PluginConfig(JsonObject list, JsonObject plugin, JsonObject? previous, NetworkEndpoint endpoint)
    {
        var config = plugin.DeepClone().AsObject();
        config["cniVersion"] = list["cniVersion"]!.DeepClone();
        config["name"] = list["name"]!.DeepClone();
        if (config["ipam"] is JsonObject ipam && (string?)ipam["type"] == "host-local")
            ipam["dataDir"] = IpamDirectory(store);
        var runtimeConfig = new JsonObject();
        var capabilities = config["capabilities"] as JsonObject;
        if (capabilities?["ips"] is not null && endpoint.IPAddress is not null)
            runtimeConfig["ips"] = new JsonArray(JsonValue.Create($"{endpoint.IPAddress}/{endpoint.PrefixLength}"));
        if (capabilities?["portMappings"] is not null && endpoint.Ports.Count > 0)
            runtimeConfig["portMappings"] = new JsonArray(endpoint.Ports.Select(PortMappingJson).ToArray<JsonNode?>());
        config.Remove("capabilities");
        if (runtimeConfig.Count > 0)
            config["runtimeConfig"] = runtimeConfig;
        if (previous is not null)
            config["prevResult"] = previous.DeepClone();
        return config;
    }

    private static JsonObject PortMappingJson(PortMapping port)
    {
        var json = new JsonObject
        {
            ["hostPort"] = port.HostPort,
            ["containerPort"] = port.ContainerPort,
            ["protocol"] = port.Protocol,
        };
        if (port.HostIP is not null)
            json["hostIP"] = port.HostIP;
        return json;
    }

    private static JsonObject Loopback() => new()
    {
        ["cniVersion"] = NetworkConfList.CniVersion,
        ["name"] = "loopback",
        ["type"] = "loopback",
    };

    /// <summary>The endpoint as the final CNI result describes it: the address and MAC of the interface inside the sandbox.</summary>
    private static NetworkEndpoint Describe(NetworkEndpoint pending, JsonObject result)
    {
        var interfaces = result["interfaces"]?.AsArray() ?? [];
        int sandboxed = interfaces.Select((node, index) => (node, index))
            .FirstOrDefault(i => (string?)i.node?["name"] == pending.Interface && !string.IsNullOrEmpty((string?)i.node?["sandbox"]), (null, -1)).index;
        var ip = result["ips"]?.AsArray().FirstOrDefault(i => (int?)i?["interface"] == sandboxed) ?? result["ips"]?.AsArray().FirstOrDefault();
        var cidr = ((string?)ip?["address"])?.Split('/');
        return pending with
        {
            IPAddress = cidr?[0],
            PrefixLength = cidr is { Length: 2 } ? int.Parse(cidr[1], System.Globalization.CultureInfo.InvariantCulture) : pending.PrefixLength,
            Gateway = (string?)ip?["gateway"],
            MacAddress = sandboxed >= 0 ? (string?)interfaces[sandboxed]?["mac"] : null,
            Result = result.ToJsonString(),
        };
    }

    /// <summary>
    /// The network as it is attached now: the default network, while nothing uses it, moves to a free subnet when
    /// its own is routed through another interface (another store took the same default while this one's bridge
    /// was not up), as it would have been made. A network in use, or one the user named, keeps its subnet and shares
    /// the route, as before: two stores starting at the same moment can still both take a subnet (there is no lock
    /// between stores), and failing the later start would turn that race into an error.
    /// </summary>
    private NetworkDefinition Routable(NetworkDefinition network, IReadOnlyList<NetworkAttachment> all) =>
        network.Name == NetworkStore.DefaultNetwork && !all.Any(a => a.Endpoints.Any(e => e.Network == network.Name))
            && HostRoutes.Shadowing(network.Subnet, network.Bridge) is not null
            ? _networks.MoveDefaultLocked(network)
            : network;

    /// <summary>A requested fixed address: a host address of the subnet, not the gateway, not taken.</summary>
    private static IPAddress? ValidateAddress(NetworkDefinition network, string? text, IReadOnlyList<NetworkAttachment> all)
    {
        if (text is null)
            return null;
        if (!Addresses.TryParse(text, out var address))
            throw new EngineException("InvalidIPAddress", ErrorKind.InvalidArgument, text, $"'{text}' is not an IPv4 address.");
        if (!Addresses.IsHost(network.Subnet, address) || address.Equals(network.Gateway))
            throw new EngineException("IPAddressOutsideSubnet", ErrorKind.InvalidArgument, text,
                $"{text} is not a free host address of network '{network.Name}' ({network.Subnet}, gateway {network.Gateway}).");
        if (all.SelectMany(a => a.Endpoints.Select(e => (a, e))).FirstOrDefault(x => x.e.Network == network.Name && x.e.IPAddress == address.ToString()) is { a: not null } user)
            throw new EngineException("IPAddressInUse", ErrorKind.AlreadyExists, text,
                $"{text} is in use on network '{network.Name}' by {user.a.ContainerName}.");
        return address;
    }

    private static void ValidatePorts(IReadOnlyList<PortMapping> ports, NetworkDefinition? network, IReadOnlyList<NetworkAttachment> all)
    {
        if (ports.Count == 0)
            return;
        if (network is null || network.Internal)
            throw new EngineException("PortsNeedNetwork", ErrorKind.InvalidArgument, ports[0].ToString(),
                network is null ? "Ports can be published only on a network (not with -Network none)."
                                : $"Network '{network.Name}' is internal: it publishes no ports.");
        var published = all.SelectMany(a => a.Endpoints.SelectMany(e => e.Ports.Select(p => (a, p)))).ToList();
        for (int i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            if (ports.Take(i).Any(port.ConflictsWith))
                throw new EngineException("PortAlreadyPublished", ErrorKind.AlreadyExists, port.ToString(), $"Port {port} is requested twice.");
            if (published.FirstOrDefault(x => x.p.ConflictsWith(port)) is { a: not null } clash)
                throw new EngineException("PortAlreadyPublished", ErrorKind.AlreadyExists, port.ToString(),
                    $"Host port {port.HostPort}/{port.Protocol} is published already by {clash.a.ContainerName} ({clash.p}).");
            HostPortCheck.Require(port);
        }
    }

    private static void ValidateId(string containerId)
    {
        if (!IdPattern().IsMatch(containerId))
            throw new EngineException("InvalidContainerId", ErrorKind.InvalidArgument, containerId, $"'{containerId}' is not a container id.");
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$")]
    private static partial Regex IdPattern();
}
