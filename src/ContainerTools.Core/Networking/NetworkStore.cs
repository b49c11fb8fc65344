using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Native;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Networking;

/// <summary>
/// The store's networks: one CNI .conflist per network under networks/, the default bridge network made on
/// first use. Changes hold the store's "networks" lock, which also serializes attachments.
/// </summary>
public sealed partial class NetworkStore(StoreLocation store)
{
    /// <summary>The network containers join when none is named; made on first use, like docker's "bridge".</summary>
    public const string DefaultNetwork = "bridge";

    /// <summary>Names that are network modes, not networks.</summary>
    public static readonly IReadOnlyList<string> ReservedNames = ["none", "host"];

    internal const string LockName = "networks";
    private const string Extension = ".conflist";
    private static readonly IPNetwork DefaultSubnet = IPNetwork.Parse("10.88.0.0/16");

    /// <summary>IPv4 ranges no bridge may take: the kernel routes them itself (127/8 in its local table) or never forwards them.</summary>
    private static readonly IPNetwork[] ReservedSubnets =
        [.. new[] { "0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4" }.Select(IPNetwork.Parse)];

    public ContainerNetworkInfo Create(string name, string? subnet = null, string? gateway = null, bool @internal = false)
    {
        ValidateName(name);
        using var _ = FileLock.Acquire(store, LockName);
        // Names that differ in case only are one name to Get-ContainerNetwork (and its pipeline into Remove).
        var existing = Directory.Exists(store.NetworksDirectory)
            ? Directory.EnumerateFiles(store.NetworksDirectory, "*" + Extension).Select(p => Path.GetFileNameWithoutExtension(p))
            : [];
        if (existing.Append(DefaultNetwork).FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } taken)
            throw new EngineException("NetworkExists", ErrorKind.AlreadyExists, name, $"A network named '{taken}' already exists.");
        var definition = Define(name, subnet, gateway, @internal);
        Write(definition);
        return Describe(definition, new AttachmentStore(store).All());
    }

    /// <summary>The names of every network, the default one included (made now if this is the first use).</summary>
    public IReadOnlyList<string> Names()
    {
        EnsureDefault();
        return Directory.EnumerateFiles(store.NetworksDirectory, "*" + Extension)
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Where(name => NamePattern().IsMatch(name))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every network that can be read: one whose file is not ours (see <see cref="Get"/>) hides no other.</summary>
    public IReadOnlyList<ContainerNetworkInfo> List()
    {
        var attachments = new AttachmentStore(store).All();
        return ReadAll(Names()).OrderBy(n => n.Name, StringComparer.Ordinal).Select(n => Describe(n, attachments)).ToList();
    }

    public ContainerNetworkInfo Get(string name) => Describe(Definition(name), new AttachmentStore(store).All());

    /// <summary>
    /// Deletes a network and its bridge. Refuses while a container of the store joins it when it starts, running
    /// or not (Runtime.NetworkRemoval removes those first for -Force), and while anything else is attached to it
    /// unless <paramref name="force"/>, which disconnects that.
    /// </summary>
    public void Remove(string name, bool force = false)
    {
        RequireRemovable(name);
        using var _ = FileLock.Acquire(store, LockName);
        NetworkDefinition? network;
        try
        {
            network = Definition(name);
        }
        catch (EngineException e) when (e.Kind == ErrorKind.InvalidData)
        {
            network = null; // a file that is not ours can still go; which bridge it named is unknown
        }
        var networking = new ContainerNetworking(store);
        var users = networking.AttachedTo(name);
        // Stopped and created containers too, as podman: their next start would find no network. -Force has
        // removed those it found; one that joined meanwhile keeps the network.
        var containers = new ContainerStore(store).UsingNetwork(name).Select(record => record.Name).ToList();
        var names = users.Select(a => a.ContainerName).Union(containers).ToList();
        if (containers.Count > 0 || (names.Count > 0 && !force))
            throw new EngineException("NetworkInUse", ErrorKind.ResourceBusy, name,
                $"Network '{name}' is in use by {string.Join(", ", names)}; remove or disconnect them, or use -Force.");
        foreach (var user in users)
            networking.DisconnectLocked(user.ContainerId, name);
        if (network is not null)
            DeleteBridge(network);
        File.Delete(ConfigPath(name));
        AtomicFile.SyncDirectory(store.NetworksDirectory);
    }

    /// <summary>Throws unless <paramref name="name"/> is a network that may be removed: not the default one, and there.</summary>
    public void RequireRemovable(string name)
    {
        if (name == DefaultNetwork)
            throw new EngineException("DefaultNetworkRemoval", ErrorKind.InvalidOperation, name, $"The default network '{name}' cannot be removed.");
        if (!NamePattern().IsMatch(name) || !File.Exists(ConfigPath(name)))
            throw NotFound(name);
    }

    private static EngineException NotFound(string name) => new("NetworkNotFound", ErrorKind.NotFound, name, $"No network named '{name}'.");

    /// <summary>The network called <paramref name="name"/>; NotFound when there is none.</summary>
    internal NetworkDefinition Definition(string name)
    {
        if (name == DefaultNetwork)
            EnsureDefault();
        if (!NamePattern().IsMatch(name) || !File.Exists(ConfigPath(name)))
            throw NotFound(name);
        return Read(name);
    }

    internal string ConfigPath(string name) => Path.Combine(store.NetworksDirectory, name + Extension);

    private void EnsureDefault()
    {
        if (File.Exists(ConfigPath(DefaultNetwork)))
            return;
        using var _ = FileLock.Acquire(store, LockName);
        EnsureDefaultLocked();
    }

    /// <summary>Makes the default network if it is missing; the caller holds the lock (flock does not nest).</summary>
    internal void EnsureDefaultLocked()
    {
        if (File.Exists(ConfigPath(DefaultNetwork)))
            return;
        var taken = TakenSubnets();
        Write(DefaultOn(taken.Any(t => Overlap(t, DefaultSubnet)) ? FreeSubnet(taken) : DefaultSubnet));
    }

    /// <summary>
    /// The default network on a subnet the engine chose as free a moment ago. Not checked again as a -Subnet is: another
    /// store's bridge may have come up on it meanwhile (there is no lock between stores), which an attach handles.
    /// </summary>
    private NetworkDefinition DefaultOn(IPNetwork subnet) =>
        new(DefaultNetwork, subnet, FirstHost(subnet), false, NetworkDefinition.NewBridgeName(store, DefaultNetwork));

    /// <summary>
    /// Gives the unused default network a free subnet, its bridge deleted (the next attach makes it again, on the new
    /// subnet); the caller holds the lock and has found the old subnet routed elsewhere on the host.
    /// </summary>
    internal NetworkDefinition MoveDefaultLocked(NetworkDefinition old)
    {
        DeleteBridge(old);
        var moved = DefaultOn(FreeSubnet(TakenSubnets()));
        Write(moved);
        return moved;
    }

    /// <summary>
    /// The network's host side: its bridge and the leases of its addresses. The two isolation rules the firewall
    /// plugin added for the bridge stay (its DEL keeps them, and iptables is no executable the engine runs): a
    /// network made again under the same name has the same bridge name (see <see cref="NetworkDefinition.NewBridgeName"/>) and reuses them.
    /// </summary>
    private void DeleteBridge(NetworkDefinition network)
    {
        Linux.DeleteLink(network.Bridge);
        string leases = Path.Combine(ContainerNetworking.IpamDirectory(store), network.Name);
        if (Directory.Exists(leases))
            Directory.Delete(leases, recursive: true);
    }

    private NetworkDefinition Define(string name, string? subnetText, string? gatewayText, bool @internal)
    {
        var existing = ReadAll();
        IPNetwork subnet;
        if (subnetText is null)
        {
            subnet = FreeSubnet(TakenSubnets());
        }
        else
        {
            subnet = ParseSubnet(subnetText);
            if (existing.FirstOrDefault(n => Overlap(n.Subnet, subnet)) is { } clash)
                throw new EngineException("SubnetOverlaps", ErrorKind.InvalidArgument, subnetText,
                    $"Subnet {subnet} overlaps {clash.Subnet} of network '{clash.Name}'.");
            // The bridge would take over the host's route: its LAN, a VPN, another engine's bridge.
            if (HostRoutes.Overlapping(subnet) is { } route)
                throw new EngineException("SubnetInUseOnHost", ErrorKind.InvalidArgument, subnetText,
                    $"Subnet {subnet} overlaps {route.Destination}, which the host routes through {route.Device}.");
        }
        var gateway = gatewayText is null ? FirstHost(subnet) : ParseGateway(gatewayText, subnet);
        return new NetworkDefinition(name, subnet, gateway, @internal, NetworkDefinition.NewBridgeName(store, name));
    }

    /// <summary>The store's subnets and the host's routed ones: a new subnet must avoid both.</summary>
    private List<IPNetwork> TakenSubnets() => [.. ReadAll().Select(n => n.Subnet), .. HostRoutes.All().Select(r => r.Destination)];

    /// <summary>The first /24 of 10.89.0.0/16 .. 10.99.255.0/24 that nothing uses (podman picks from 10.89 too).</summary>
    private static IPNetwork FreeSubnet(List<IPNetwork> taken)
    {
        for (int second = 89; second <= 99; second++)
        {
            for (int third = 0; third < 256; third++)
            {
                var candidate = new IPNetwork(new IPAddress(new byte[] { 10, (byte)second, (byte)third, 0 }), 24);
                if (!taken.Any(t => Overlap(t, candidate)))
                    return candidate;
            }
        }
        throw new EngineException("NoFreeSubnet", ErrorKind.LimitsExceeded, null, "No free subnet is left in 10.89.0.0-10.99.255.0; give -Subnet.");
    }

    /// <summary>The networks whose files can be read: an unreadable one takes no subnet anyone knows of.</summary>
    private List<NetworkDefinition> ReadAll(IEnumerable<string>? names = null)
    {
        names ??= Directory.Exists(store.NetworksDirectory)
            ? Directory.EnumerateFiles(store.NetworksDirectory, "*" + Extension).Select(p => Path.GetFileNameWithoutExtension(p))
            : [];
        var networks = new List<NetworkDefinition>();
        foreach (var name in names)
        {
            try
            {
                networks.Add(Read(name));
            }
            catch (EngineException e) when (e.Kind == ErrorKind.InvalidData)
            {
                // reported by Get, when it is asked for
            }
        }
        return networks;
    }

    private NetworkDefinition Read(string name) => NetworkConfList.Parse(name, File.ReadAllText(ConfigPath(name)));

    private void Write(NetworkDefinition network) => AtomicFile.WriteAllText(ConfigPath(network.Name), NetworkConfList.Render(network));

    private ContainerNetworkInfo Describe(NetworkDefinition network, IReadOnlyList<NetworkAttachment> attachments) => new(
        network.Name,
        "bridge",
        network.Subnet.ToString(),
        network.Gateway.ToString(),
        network.Internal,
        network.Bridge,
        attachments.Where(a => a.Endpoints.Any(e => e.Network == network.Name)).Select(a => a.ContainerName).ToList(),
        File.GetLastWriteTimeUtc(ConfigPath(network.Name)),
        ConfigPath(network.Name));

    internal static bool Overlap(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    private static void ValidateName(string name)
    {
        if (!NamePattern().IsMatch(name))
            throw new EngineException("InvalidNetworkName", ErrorKind.InvalidArgument, name,
                $"'{name}' is not a valid network name: use letters, digits, '_', '.' and '-', starting with a letter or digit (at most 64).");
        if (ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            throw new EngineException("ReservedNetworkName", ErrorKind.InvalidArgument, name, $"'{name}' is a network mode, not a name a network can have.");
    }

    private static IPNetwork ParseSubnet(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length != 2 || !Addresses.TryParse(parts[0], out var address) || !IPNetwork.TryParse(text, out var subnet)
            || !subnet.BaseAddress.Equals(address))
            throw new EngineException("InvalidSubnet", ErrorKind.InvalidArgument, text,
                $"'{text}' is not an IPv4 subnet in CIDR form with no host bits set (such as 10.90.0.0/24).");
        if (subnet.PrefixLength is < 8 or > 29)
            throw new EngineException("InvalidSubnet", ErrorKind.InvalidArgument, text, $"Subnet {text} must have a prefix from /8 to /29.");
        foreach (var reserved in ReservedSubnets)
        {
            if (Overlap(reserved, subnet))
                throw new EngineException("InvalidSubnet", ErrorKind.InvalidArgument, text,
                    $"Subnet {text} overlaps {reserved}, which is not for hosts (this network, loopback, link-local, multicast or reserved).");
        }
        return subnet;
    }

    private static IPAddress ParseGateway(string text, IPNetwork subnet)
    {
        if (!Addresses.TryParse(text, out var gateway))
            throw new EngineException("InvalidGateway", ErrorKind.InvalidArgument, text, $"'{text}' is not an IPv4 address.");
        if (!Addresses.IsHost(subnet, gateway))
            throw new EngineException("GatewayOutsideSubnet", ErrorKind.InvalidArgument, text,
                $"Gateway {text} is not a host address of subnet {subnet}.");
        return gateway;
    }

    private static IPAddress FirstHost(IPNetwork subnet) => Addresses.Offset(subnet.BaseAddress, 1);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();
}
