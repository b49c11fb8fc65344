using System.Management.Automation;
using System.Net;
using ContainerTools.Core;
using ContainerTools.Core.Networking;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Networking;

/// <summary>
/// Networks given unusual input or used in an unusual state: subnets the host already routes, two stores on one
/// host, removal of a network a stopped container needs, ports on addresses the host does not have.
/// </summary>
public sealed class NetworkEdgeTests : IDisposable
{
    private readonly NetworkTestBed _bed = new();
    private readonly NetworkTestBed _other = new(); // a second store on the same host

    public void Dispose()
    {
        _bed.Dispose();
        _other.Dispose();
    }

    [Theory]
    [InlineData("127.0.0.0/8")]
    [InlineData("127.1.0.0/16")]
    [InlineData("0.0.0.0/8")]
    [InlineData("169.254.0.0/16")]
    [InlineData("224.0.0.0/24")]
    [InlineData("240.0.0.0/24")]
    public void ASubnetNoHostMayHaveIsRefused(string subnet)
    {
        var error = Assert.Throws<EngineException>(() => _bed.Networks.Create("odd", subnet));

        Assert.Equal(("InvalidSubnet", ErrorKind.InvalidArgument, subnet), (error.ErrorId, error.Kind, error.Target));
        Assert.Equal(["bridge"], _bed.Networks.List().Select(n => n.Name));
    }

    [Theory]
    [InlineData("Web", "NetworkExists", ErrorKind.AlreadyExists)]
    [InlineData("BRIDGE", "NetworkExists", ErrorKind.AlreadyExists)]
    [InlineData("Host", "ReservedNetworkName", ErrorKind.InvalidArgument)]
    [InlineData("NONE", "ReservedNetworkName", ErrorKind.InvalidArgument)]
    public void ANameThatDiffersInCaseOnlyIsRefused(string name, string errorId, ErrorKind kind)
    {
        _bed.CreateNetwork("web");

        var error = Assert.Throws<EngineException>(() => _bed.Networks.Create(name, NetworkTestBed.NextSubnet()));

        Assert.Equal((errorId, kind, name), (error.ErrorId, error.Kind, error.Target));
        Assert.Equal(["bridge", "web"], _bed.Networks.Names());
    }

    [Fact]
    public void ASubnetAnotherStoresBridgeRoutesIsRefused()
    {
        string subnet = NetworkTestBed.NextSubnet();
        var theirs = _other.CreateNetwork("theirs", subnet: subnet);
        _other.Networking.Attach("ed9e0002", "theirs", _other.CreateNamespace("t"), new NetworkRequest([new EndpointRequest("theirs")], []));

        var error = Assert.Throws<EngineException>(() => _bed.Networks.Create("mine", subnet));

        Assert.Equal(("SubnetInUseOnHost", ErrorKind.InvalidArgument, subnet), (error.ErrorId, error.Kind, error.Target));
        Assert.Contains(theirs.Bridge, error.Message);
        Assert.Equal(["bridge"], _bed.Networks.List().Select(n => n.Name));
    }

    [Fact]
    public void TwoStoresThatTookTheSameDefaultSubnetBothWork()
    {
        // Both defaults made while neither bridge was up: both take the same subnet.
        var mine = _bed.Networks.Get(NetworkStore.DefaultNetwork);
        var theirs = _other.Networks.Get(NetworkStore.DefaultNetwork);
        Assert.Equal(mine.Subnet, theirs.Subnet);
        var first = _other.Networking.Attach("ed9e0003", "theirs", _other.CreateNamespace("t"), new NetworkRequest([new EndpointRequest("bridge")], []));

        var second = _bed.Networking.Attach("ed9e0004", "mine", _bed.CreateNamespace("m"), new NetworkRequest([new EndpointRequest("bridge")], []));

        // The unused default moved to a free subnet, as it would have been made had the other bridge been up. The
        // other's may have moved too: tests running beside this one bring up default bridges of their own stores.
        var moved = _bed.Networks.Get(NetworkStore.DefaultNetwork);
        var theirsNow = _other.Networks.Get(NetworkStore.DefaultNetwork);
        Assert.NotEqual(theirsNow.Subnet, moved.Subnet);
        Assert.NotEqual(mine.Subnet, moved.Subnet);
        Assert.True(IPNetwork.Parse(moved.Subnet).Contains(IPAddress.Parse(second.Endpoints[0].IPAddress!)));
        Assert.True(IPNetwork.Parse(theirsNow.Subnet).Contains(IPAddress.Parse(first.Endpoints[0].IPAddress!)));
        Assert.Equal(["veth"], HostState.VethsOn(moved.Bridge).Select(v => v[..4]));
    }

    [Fact]
    public void ABroaderRouteThroughAnotherInterfaceDoesNotStopAnAttach()
    {
        // 10.212.0.0/16: outside the /24s of 10.213 the other tests use, so its route takes none of theirs.
        var mine = _bed.CreateNetwork("narrow", subnet: "10.212.7.0/24");
        _other.CreateNetwork("broad", subnet: "10.212.0.0/16");
        _other.Networking.Attach("ed9e0009", "broad", _other.CreateNamespace("b"), new NetworkRequest([new EndpointRequest("broad")], []));

        var attachment = _bed.Networking.Attach("ed9e000a", "narrow", _bed.CreateNamespace("n"), new NetworkRequest([new EndpointRequest("narrow")], []));

        Assert.StartsWith("10.212.7.", attachment.Endpoints[0].IPAddress);
        Assert.Single(HostState.VethsOn(mine.Bridge));
    }

    [Fact]
    public void ANetworkAStoppedContainerNeedsIsNotRemovedWithoutForce()
    {
        using var ps = SessionWithBusybox();
        _bed.CreateNetwork("kept");
        ps.Run("New-Container busybox -Name sleeper -Network kept -Command true");

        var refused = ps.Invoke("Remove-ContainerNetwork kept -Confirm:$false");

        var error = Assert.Single(refused.Errors);
        Assert.Equal("NetworkInUse,ContainerTools.Cmdlets.RemoveContainerNetworkCommand", error.FullyQualifiedErrorId);
        Assert.Equal((ErrorCategory.ResourceBusy, "kept"), (error.CategoryInfo.Category, error.TargetObject));
        Assert.Contains("sleeper", error.Exception.Message);
        Assert.Equal(["bridge", "kept"], ps.Run("Get-ContainerNetwork | ForEach-Object Name").Select(o => o.ToString()));

        ps.Run("Remove-Container sleeper; Remove-ContainerNetwork kept -Confirm:$false");
        Assert.Equal(["bridge"], ps.Run("Get-ContainerNetwork | ForEach-Object Name").Select(o => o.ToString()));
    }

    [Fact]
    public void APortOnAnAddressTheHostDoesNotHaveIsRefusedAtCreation()
    {
        using var ps = SessionWithBusybox();
        _bed.CreateNetwork("web");

        var refused = ps.Invoke("New-Container busybox -Name nowhere -Network web -Publish 203.0.113.7:18080:80 -Command true");

        var error = Assert.Single(refused.AllErrors);
        Assert.Equal("HostIPNotLocal,ContainerTools.Cmdlets.NewContainerCommand", error.FullyQualifiedErrorId);
        Assert.Equal((ErrorCategory.InvalidArgument, "203.0.113.7:18080->80/tcp"), (error.CategoryInfo.Category, error.TargetObject));
        Assert.Empty(ps.Run("Get-Container"));
    }

    [Fact]
    public void APortAHostProcessListensOnIsRefusedAtCreation()
    {
        using var ps = SessionWithBusybox();
        _bed.CreateNetwork("web");
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Any, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var refused = ps.Invoke($"New-Container busybox -Name thief -Network web -Publish {port}:80 -Command true");

        var error = Assert.Single(refused.AllErrors);
        Assert.Equal("HostPortInUse,ContainerTools.Cmdlets.NewContainerCommand", error.FullyQualifiedErrorId);
        Assert.Equal((ErrorCategory.ResourceBusy, $"0.0.0.0:{port}->80/tcp"), (error.CategoryInfo.Category, error.TargetObject));
        Assert.Empty(ps.Run("Get-Container"));
    }

    [Fact]
    public void APortAHostProcessTookSinceCreationFailsTheAttachAndLeavesNothing()
    {
        var network = _bed.CreateNetwork("late");
        using var listener = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)listener.Client.LocalEndPoint!).Port;
        string ns = _bed.CreateNamespace("late");

        var error = Assert.Throws<EngineException>(() => _bed.Networking.Attach("ed9e0007", "late", ns,
            new NetworkRequest([new EndpointRequest("late")], [PortMapping.Parse($"127.0.0.1:{port}:53/udp")])));

        Assert.Equal(("HostPortInUse", ErrorKind.ResourceBusy), (error.ErrorId, error.Kind));
        Assert.Null(_bed.Networking.Get("ed9e0007"));
        Assert.Equal(["lo"], HostState.InterfacesIn(ns));
        Assert.Empty(HostState.VethsOn(network.Bridge));
        Assert.Empty(HostState.RulesMentioning($"--dport {port} "));
    }

    [Fact]
    public void AConnectThatFailsHalfWayLeavesNoInterfaceRecordOrLease()
    {
        _bed.CreateNetwork("first");
        var second = _bed.CreateNetwork("second");
        string ns = _bed.CreateNamespace("c");
        _bed.Networking.Attach("ed9e0008", "app", ns, new NetworkRequest([new EndpointRequest("first")], []));
        var failing = _bed.WithFailingFirewall();

        var error = Assert.Throws<EngineException>(() => failing.Connect("ed9e0008", new EndpointRequest("second")));

        Assert.Equal("CniPluginFailed", error.ErrorId);
        Assert.Equal(["first"], _bed.Networking.Get("ed9e0008")!.Endpoints.Select(e => e.Network));
        Assert.DoesNotContain("eth1", HostState.InterfacesIn(ns));
        Assert.Empty(HostState.VethsOn(second.Bridge));
        Assert.Empty(HostState.Leases(_bed.Store.Location, "second"));
        Assert.Empty(_bed.Networks.Get("second").Containers);
        _bed.Networking.Connect("ed9e0008", new EndpointRequest("second")); // and it can be tried again
        Assert.Contains("eth1", HostState.InterfacesIn(ns));
    }

    [Fact]
    public void AnUnreadableNetworkFileHidesNoOtherNetworkAndCanBeRemoved()
    {
        using var ps = new PowerShellSession(_bed.Store);
        _bed.CreateNetwork("good");
        File.WriteAllText(Path.Combine(_bed.Store.Location.NetworksDirectory, "broken.conflist"), "{not json");

        var listed = ps.Invoke("Get-ContainerNetwork | ForEach-Object Name");

        Assert.Equal(["bridge", "good"], listed.Output.Select(o => o.ToString()));
        var error = Assert.Single(listed.Errors);
        Assert.Equal("InvalidNetworkConfig,ContainerTools.Cmdlets.GetContainerNetworkCommand", error.FullyQualifiedErrorId);
        Assert.Equal((ErrorCategory.InvalidData, "broken"), (error.CategoryInfo.Category, error.TargetObject));
        Assert.Equal("good", ps.Run("Get-ContainerNetwork good").Single().Properties["Name"].Value);
        ps.Run($"New-ContainerNetwork -Name other -Subnet {NetworkTestBed.NextSubnet()}");

        ps.Run("Remove-ContainerNetwork broken -Confirm:$false");

        Assert.Equal(["bridge", "good", "other"], ps.Run("Get-ContainerNetwork | ForEach-Object Name").Select(o => o.ToString()));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("host")]
    public void ConnectingAContainerThatRunsWithoutANetworkSaysSo(string mode)
    {
        using var ps = SessionWithBusybox();
        _bed.CreateNetwork("extra");
        ps.Run($"New-Container busybox -Name lone -Network {mode} -Start -Command sleep, 60");

        var refused = ps.Invoke("Connect-ContainerNetwork extra lone");

        var error = Assert.Single(refused.Errors);
        Assert.Equal("NetworkModeConflict,ContainerTools.Cmdlets.ConnectContainerNetworkCommand", error.FullyQualifiedErrorId);
        Assert.Equal((ErrorCategory.InvalidOperation, "lone"), (error.CategoryInfo.Category, error.TargetObject));
        Assert.Contains($"-Network {mode}", error.Exception.Message);
    }

    private PowerShellSession SessionWithBusybox()
    {
        var ps = new PowerShellSession(_bed.Store);
        BusyboxImage.Import(ps);
        return ps;
    }
}
