using ContainerTools.Core;
using ContainerTools.Core.Networking;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Networking;

public sealed class NetworkStoreTests : IDisposable
{
    private readonly NetworkTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void DefaultBridgeNetworkExistsFromFirstUse()
    {
        Assert.False(Directory.Exists(_bed.Store.Location.NetworksDirectory));
        var networks = _bed.Networks.List();
        var bridge = Assert.Single(networks);
        Assert.Equal(NetworkStore.DefaultNetwork, bridge.Name);
        Assert.True(File.Exists(bridge.ConfigPath));
        Assert.False(bridge.Internal);
        Assert.StartsWith("ct-", bridge.Bridge);
    }

    [Fact]
    public void CreateWritesAConflistTheBridgeFirewallAndPortmapPluginsRead()
    {
        string subnet = NetworkTestBed.NextSubnet();
        var network = _bed.CreateNetwork("web", subnet: subnet);
        Assert.Equal(subnet, network.Subnet);
        Assert.Equal(subnet.Replace(".0/24", ".1"), network.Gateway);
        var conflist = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(network.ConfigPath))!;
        Assert.Equal("web", (string?)conflist["name"]);
        Assert.Equal(["bridge", "portmap", "firewall"], conflist["plugins"]!.AsArray().Select(p => (string?)p!["type"]));
        Assert.Equivalent(network, _bed.Networks.Get("web"), strict: true);
    }

    [Fact]
    public void InternalNetworkHasNoGatewayOnTheHostAndNoPortmap()
    {
        var network = _bed.CreateNetwork("back", @internal: true);
        Assert.True(network.Internal);
        var conflist = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(network.ConfigPath))!;
        Assert.Equal(["bridge", "firewall"], conflist["plugins"]!.AsArray().Select(p => (string?)p!["type"]));
        Assert.False((bool?)conflist["plugins"]![0]!["isGateway"]);
    }

    [Fact]
    public void WithoutSubnetPicksOneThatOverlapsNothing()
    {
        var first = _bed.Networks.Create("a");
        var second = _bed.Networks.Create("b");
        Assert.NotEqual(first.Subnet, second.Subnet);
        Assert.False(NetworkStore.Overlap(System.Net.IPNetwork.Parse(first.Subnet), System.Net.IPNetwork.Parse(second.Subnet)));
    }

    [Theory]
    [InlineData("taken", "{0}", null, "NetworkExists", ErrorKind.AlreadyExists)]
    [InlineData("new", "{1}", null, "SubnetOverlaps", ErrorKind.InvalidArgument)]
    [InlineData("new", "10.213.0.5/24", null, "InvalidSubnet", ErrorKind.InvalidArgument)]
    [InlineData("new", "fd00::/64", null, "InvalidSubnet", ErrorKind.InvalidArgument)]
    [InlineData("new", "nonsense", null, "InvalidSubnet", ErrorKind.InvalidArgument)]
    [InlineData("new", "{2}", "192.168.1.1", "GatewayOutsideSubnet", ErrorKind.InvalidArgument)]
    [InlineData("new", "{2}", "not-an-ip", "InvalidGateway", ErrorKind.InvalidArgument)]
    [InlineData("none", "{2}", null, "ReservedNetworkName", ErrorKind.InvalidArgument)]
    [InlineData("bad/name", "{2}", null, "InvalidNetworkName", ErrorKind.InvalidArgument)]
    [InlineData("bridge", "{2}", null, "NetworkExists", ErrorKind.AlreadyExists)]
    public void BadDefinitionsAreRejectedAndChangeNothing(string name, string subnetFormat, string? gateway, string errorId, ErrorKind kind)
    {
        string takenSubnet = NetworkTestBed.NextSubnet();
        _bed.CreateNetwork("taken", subnet: takenSubnet);
        string overlapping = takenSubnet.Replace(".0/24", ".128/25");
        string subnet = string.Format(System.Globalization.CultureInfo.InvariantCulture, subnetFormat, NetworkTestBed.NextSubnet(), overlapping, NetworkTestBed.NextSubnet());
        var before = Snapshot();

        var error = Assert.Throws<EngineException>(() => _bed.Networks.Create(name, subnet, gateway));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void UnknownNetworkIsNotFound()
    {
        var error = Assert.Throws<EngineException>(() => _bed.Networks.Get("nope"));
        Assert.Equal(("NetworkNotFound", ErrorKind.NotFound, "nope"), (error.ErrorId, error.Kind, error.Target));
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<EngineException>(() => _bed.Networks.Remove("nope")).Kind);
    }

    [Fact]
    public void TheDefaultNetworkCannotBeRemoved()
    {
        var error = Assert.Throws<EngineException>(() => _bed.Networks.Remove(NetworkStore.DefaultNetwork));
        Assert.Equal(ErrorKind.InvalidOperation, error.Kind);
    }

    private string Snapshot() =>
        string.Join("\n", Directory.Exists(_bed.Store.Location.NetworksDirectory)
            ? Directory.GetFiles(_bed.Store.Location.NetworksDirectory).Order().Select(f => f + ":" + File.ReadAllText(f))
            : []);
}
