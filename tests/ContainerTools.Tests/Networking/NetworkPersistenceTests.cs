using System.Management.Automation;
using ContainerTools.Core.Containers;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Networking;

/// <summary>
/// Network changes that last, as with docker and podman: Connect- and Disconnect-ContainerNetwork are kept over a
/// stop and start, a container that is not running may be connected (it joins at its next start), and
/// Remove-ContainerNetwork -Force removes the containers that join the network (podman network rm -f) rather than
/// leaving a stopped one unable to start. Real containers, real networks.
/// </summary>
public sealed class NetworkPersistenceTests : IDisposable
{
    private readonly NetworkTestBed _bed = new();
    private readonly PowerShellSession _ps;

    public NetworkPersistenceTests()
    {
        _ps = new PowerShellSession(_bed.Store);
        BusyboxImage.Import(_ps);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _bed.Dispose();
    }

    private void StartWeb(string name, string network, string extra = "") =>
        _ps.Run($"New-Container busybox -Name {name} -Network {network} {extra} -Command 'sh', '-c', 'echo {name}-page > /tmp/index.html; exec httpd -f -p 80 -h /tmp' -Start");

    /// <summary>Network name to address of the container as it is now (empty while it is not attached).</summary>
    private IReadOnlyDictionary<string, string> Addresses(string name) =>
        (IReadOnlyDictionary<string, string>)_ps.Run($"Get-Container {name}").Single().Properties["IPAddresses"].Value;

    private List<string> RecordedNetworks(string name) =>
        new ContainerStore(_bed.Store.Location).Find(name).Record.Network.Networks.Select(n => n.Network).ToList();

    /// <summary>wget from a new container on <paramref name="network"/>, retrying while the server starts; its exit code and output.</summary>
    private (int ExitCode, string Output) FetchFrom(string network, string url)
    {
        const string script = "for i in 1 2 3 4 5 6 7 8 9 10; do timeout 3 wget -q -O - $0 && exit 0; sleep 0.3; done; exit 1";
        var result = _ps.Invoke($"Invoke-ContainerImage busybox -Network {network} -Remove -Command 'sh', '-c', $script, $url; $LASTEXITCODE",
            new Dictionary<string, object?> { ["script"] = script, ["url"] = url });
        var lines = result.Output.Select(o => o.ToString()).ToList();
        return (int.Parse(lines[^1], System.Globalization.CultureInfo.InvariantCulture), string.Join("\n", lines.SkipLast(1)));
    }

    [Fact]
    public void AConnectedNetworkWithItsAliasAndAddressIsKeptOverARestart()
    {
        _bed.CreateNetwork("front");
        string address = _bed.CreateNetwork("back").Subnet.Replace(".0/24", ".77");
        StartWeb("api", "front");

        _ps.Run($"Connect-ContainerNetwork back api -Alias backend-api -IPAddress {address}");
        _ps.Run("Restart-Container api -Timeout 0");

        var addresses = Addresses("api");
        Assert.Equal(["back", "front"], addresses.Keys.Order());
        Assert.Equal(address, addresses["back"]);
        Assert.Equal((0, "api-page"), FetchFrom("back", "http://backend-api/"));
        Assert.Equal(["front", "back"], (IEnumerable<string>)_ps.Run("(Get-Container api).Networks").Select(o => o.ToString()).ToList());
    }

    [Fact]
    public void ADisconnectedNetworkStaysDisconnectedAfterAStopAndStart()
    {
        _bed.CreateNetwork("front");
        _bed.CreateNetwork("back");
        StartWeb("api", "front");
        _ps.Run("Connect-ContainerNetwork back api");

        _ps.Run("Disconnect-ContainerNetwork front api -Confirm:$false");
        _ps.Run("Stop-Container api -Timeout 0");
        _ps.Run("Start-Container api");

        Assert.Equal(["back"], Addresses("api").Keys);
        Assert.Equal("back", _ps.Run("(Get-Container api).Network").Single().ToString());
        Assert.Empty(_bed.Networks.Get("front").Containers);
        // front is no longer in use by it: removed without -Force.
        _ps.Run("Remove-ContainerNetwork front -Confirm:$false");
    }

    [Fact]
    public void AStoppedContainerCanBeConnectedAndJoinsAtItsNextStart()
    {
        _bed.CreateNetwork("front");
        string address = _bed.CreateNetwork("back").Subnet.Replace(".0/24", ".9");
        _ps.Run("New-Container busybox -Name idle -Network front -Command 'sleep', '60'");

        _ps.Run($"Connect-ContainerNetwork back idle -IPAddress {address}");

        Assert.Equal(["front", "back"], RecordedNetworks("idle"));
        Assert.Empty(_bed.Networks.Get("back").Containers); // not running: nothing attached yet
        _ps.Run("Start-Container idle");
        Assert.Equal(address, Addresses("idle")["back"]);
        Assert.Contains("front", Addresses("idle").Keys);
    }

    [Fact]
    public void AContainerDisconnectedFromEveryNetworkStartsWithLoopbackOnlyAndKeepsItsPortForLater()
    {
        _bed.CreateNetwork("only");
        int port = HostPorts.Free();
        _ps.Run($"New-Container busybox -Name lone -Network only -Publish '127.0.0.1:{port}:80' -Command 'sleep', '60'");

        _ps.Run("Disconnect-ContainerNetwork only lone -Confirm:$false");
        _ps.Run("Start-Container lone");

        Assert.Empty(Addresses("lone"));
        var interfaces = _ps.Run("Invoke-ContainerCommand lone -Command 'ls', '/sys/class/net'").Select(o => o.ToString()).ToList();
        Assert.Equal(["lo"], interfaces);
        Assert.Empty(RecordedNetworks("lone"));
        Assert.Single(new ContainerStore(_bed.Store.Location).Find("lone").Record.Network.Ports);
    }

    [Theory]
    [InlineData("Connect-ContainerNetwork nope idle", "NetworkNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("Connect-ContainerNetwork net idle", "AlreadyConnected", ErrorCategory.ResourceExists)]
    [InlineData("Connect-ContainerNetwork other idle -IPAddress 192.168.200.7", "IPAddressOutsideSubnet", ErrorCategory.InvalidArgument)]
    [InlineData("Disconnect-ContainerNetwork other idle -Confirm:$false", "NotConnected", ErrorCategory.ObjectNotFound)]
    [InlineData("Connect-ContainerNetwork other nobody", "ContainerNotFound", ErrorCategory.ObjectNotFound)]
    public void BadConnectsOfAStoppedContainerAreErrorRecordsAndChangeNothing(string script, string errorId, ErrorCategory category)
    {
        _bed.CreateNetwork("net");
        _bed.CreateNetwork("other");
        _ps.Run("New-Container busybox -Name idle -Network net -Command true");
        var containers = new ContainerStore(_bed.Store.Location);
        string recordPath = containers.Paths(containers.Find("idle").Id).Record, record = File.ReadAllText(recordPath);

        var result = _ps.Invoke(script);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(record, File.ReadAllText(recordPath));
    }

    [Fact]
    public void DisconnectingTheFirstNetworkIsRefusedWhenItsPortsWouldFallOnAnInternalOne()
    {
        _bed.CreateNetwork("pub");
        _bed.CreateNetwork("inside", @internal: true);
        int port = HostPorts.Free();
        _ps.Run($"New-Container busybox -Name web -Network pub -Publish '127.0.0.1:{port}:80' -Command true");
        _ps.Run("Connect-ContainerNetwork inside web");

        var result = _ps.Invoke("Disconnect-ContainerNetwork pub web -Confirm:$false");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("PortsNeedNetwork,", error.FullyQualifiedErrorId);
        Assert.Equal((ErrorCategory.InvalidOperation, "pub"), (error.CategoryInfo.Category, error.TargetObject));
        Assert.Equal(["pub", "inside"], RecordedNetworks("web"));
        _ps.Run("Start-Container web");
    }

    [Fact]
    public void ForcedRemovalRemovesTheContainersThatJoinTheNetworkAndLeavesNothingOfThem()
    {
        var network = _bed.CreateNetwork("doomed");
        _bed.CreateNetwork("kept");
        _ps.Run("New-Container busybox -Name stopped -Network doomed -Command true");
        StartWeb("running", "kept");
        _ps.Run("Connect-ContainerNetwork doomed running");
        _ps.Run("New-Container busybox -Name bystander -Network kept -Command true");

        string whatIf = _ps.Render("Remove-ContainerNetwork doomed -Force -WhatIf");
        Assert.Contains("the containers that join it: running, stopped", System.Text.RegularExpressions.Regex.Replace(whatIf, @"\s+", " "));
        Assert.Equal(3, _ps.Run("Get-Container").Count);

        _ps.Run("Remove-ContainerNetwork doomed -Force -Confirm:$false");

        Assert.Equal(["bystander"], _ps.Run("Get-Container | ForEach-Object Name").Select(o => o.ToString()));
        Assert.False(File.Exists(network.ConfigPath));
        Assert.Empty(Directory.GetFiles(Path.Combine(_bed.Store.Location.RunRoot, "networks", "attachments")));
        Assert.Empty(HostState.VethsOn(_bed.Networks.Get("kept").Bridge));
        Assert.NotEqual(0, Tool.TryRun("ip", ["link", "show", network.Bridge]).ExitCode);
        _ps.Run("Start-Container bystander");
    }
}
