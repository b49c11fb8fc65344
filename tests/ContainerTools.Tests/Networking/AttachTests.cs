using ContainerTools.Core;
using ContainerTools.Core.Networking;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Networking;

/// <summary>Real namespaces, real CNI plugins, real traffic between the host and namespaces this test made.</summary>
public sealed class AttachTests : IDisposable
{
    private readonly NetworkTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private static NetworkRequest On(string network, string? ip = null, string[]? aliases = null, string[]? ports = null, string? hosts = null) =>
        new([new EndpointRequest(network, ip, aliases)], (ports ?? []).Select(PortMapping.Parse).ToList(), hosts);

    [Fact]
    public void ContainersOfOneNetworkReachEachOtherByNameAndAlias()
    {
        _bed.CreateNetwork("app");
        string webNs = _bed.CreateNamespace("web"), clientNs = _bed.CreateNamespace("client");
        string webHosts = _bed.CreateHostsFile("web"), clientHosts = _bed.CreateHostsFile("client");
        var web = _bed.Networking.Attach("c0ffee01web", "web", webNs, On("app", aliases: ["www"], hosts: webHosts));
        var client = _bed.Networking.Attach("c0ffee01client", "client", clientNs, On("app", hosts: clientHosts));
        _bed.StartWebServer(webNs, "hello from web");

        var byName = _bed.Fetch(clientNs, "http://web/", clientHosts);
        var byAlias = _bed.Fetch(clientNs, "http://www/", clientHosts);

        Assert.True(byName.ExitCode == 0, byName.Stderr);
        Assert.Equal("hello from web", byName.Stdout.Trim());
        Assert.Equal("hello from web", byAlias.Stdout.Trim());
        Assert.Contains($"{web.Endpoints[0].IPAddress}\tweb www", File.ReadAllText(clientHosts));
        Assert.Contains($"{client.Endpoints[0].IPAddress}\tclient", File.ReadAllText(webHosts));
        Assert.StartsWith("127.0.0.1\tlocalhost\n", File.ReadAllText(clientHosts));
    }

    [Fact]
    public void HostsFilesFollowPeersComingAndGoingInPlace()
    {
        _bed.CreateNetwork("app");
        string aHosts = _bed.CreateHostsFile("a");
        long inode = Inode(aHosts);
        _bed.Networking.Attach("aaaa0001", "a", _bed.CreateNamespace("a"), On("app", hosts: aHosts));
        _bed.Networking.Attach("bbbb0001", "b", _bed.CreateNamespace("b"), On("app", hosts: _bed.CreateHostsFile("b")));
        Assert.Contains("\tb", File.ReadAllText(aHosts));

        _bed.Networking.Detach("bbbb0001");

        Assert.DoesNotContain("\tb", File.ReadAllText(aHosts));
        Assert.Contains("\ta", File.ReadAllText(aHosts));
        Assert.Equal(inode, Inode(aHosts)); // rewritten in place: a bind mount of it would still see it
    }

    [Fact]
    public void PublishedPortOnLoopbackReachesTheContainerFromTheHost()
    {
        _bed.CreateNetwork("pub");
        string ns = _bed.CreateNamespace("web");
        int port = HostPorts.Free();
        var attachment = _bed.Networking.Attach("deadbeef0001", "web", ns, On("pub", ports: [$"127.0.0.1:{port}:80"]));
        _bed.StartWebServer(ns, "published");

        var fetched = Tool.TryRun("timeout", ["5", Busybox.Binary, "wget", "-q", "-O", "-", $"http://127.0.0.1:{port}/"]);

        Assert.True(fetched.ExitCode == 0, fetched.Stderr);
        Assert.Equal("published", fetched.Stdout.Trim());
        Assert.Equal([new PortMapping("127.0.0.1", port, 80, "tcp")], attachment.Endpoints[0].Ports);
    }

    [Fact]
    public void ContainersOnTwoNetworksCannotReachEachOther()
    {
        _bed.CreateNetwork("one");
        _bed.CreateNetwork("two");
        string webNs = _bed.CreateNamespace("web"), sameNs = _bed.CreateNamespace("same"), otherNs = _bed.CreateNamespace("other");
        var web = _bed.Networking.Attach("f00d0001", "web", webNs, On("one"));
        _bed.Networking.Attach("f00d0002", "same", sameNs, On("one"));
        _bed.Networking.Attach("f00d0003", "other", otherNs, On("two"));
        _bed.StartWebServer(webNs, "isolated");
        string url = $"http://{web.Endpoints[0].IPAddress}/";

        Assert.Equal("isolated", _bed.Fetch(sameNs, url).Stdout.Trim());
        Assert.NotEqual(0, _bed.Fetch(otherNs, url).ExitCode);
    }

    [Fact]
    public void NoNetworksMeansLoopbackOnlyAndUp()
    {
        string ns = _bed.CreateNamespace("none");
        var attachment = _bed.Networking.Attach("00ee0001", "alone", ns, new NetworkRequest([], []));

        Assert.Empty(attachment.Endpoints);
        Assert.Equal(["lo"], HostState.InterfacesIn(ns));
        Assert.Contains("UP", Tool.Run("nsenter", "--net=" + ns, "ip", "-o", "link", "show", "lo"));
        _bed.Networking.Detach("00ee0001");
    }

    [Fact]
    public void FixedAddressAndConnectDisconnectOfASecondNetwork()
    {
        var front = _bed.CreateNetwork("front");
        _bed.CreateNetwork("back", @internal: true);
        string ns = _bed.CreateNamespace("multi");
        string ip = front.Subnet.Replace(".0/24", ".42");
        var attachment = _bed.Networking.Attach("abcd0001", "multi", ns, On("front", ip: ip));
        Assert.Equal(ip, attachment.Endpoints[0].IPAddress);
        Assert.Equal(front.Gateway, attachment.Endpoints[0].Gateway);
        Assert.Matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", attachment.Endpoints[0].MacAddress);

        var connected = _bed.Networking.Connect("abcd0001", new EndpointRequest("back"));
        Assert.Equal(["eth0", "eth1"], connected.Endpoints.Select(e => e.Interface));
        Assert.Contains("eth1", HostState.InterfacesIn(ns));
        Assert.Equal(["multi"], _bed.Networks.Get("back").Containers);
        _bed.Networking.Check("abcd0001");

        _bed.Networking.Disconnect("abcd0001", "back");
        Assert.DoesNotContain("eth1", HostState.InterfacesIn(ns));
        Assert.Empty(_bed.Networks.Get("back").Containers);
        Assert.Empty(HostState.Leases(_bed.Store.Location, "back"));
    }

    [Fact]
    public void RemoveRefusesANetworkInUseUnlessForced()
    {
        var network = _bed.CreateNetwork("busy");
        string ns = _bed.CreateNamespace("user");
        _bed.Networking.Attach("beef0001", "user", ns, On("busy"));

        var error = Assert.Throws<EngineException>(() => _bed.Networks.Remove("busy"));
        Assert.Equal(("NetworkInUse", ErrorKind.ResourceBusy), (error.ErrorId, error.Kind));
        Assert.Single(HostState.VethsOn(network.Bridge));

        _bed.Networks.Remove("busy", force: true);
        Assert.Empty(HostState.VethsOn(network.Bridge));
        Assert.DoesNotContain("eth0", HostState.InterfacesIn(ns));
        Assert.False(File.Exists(network.ConfigPath));
        Assert.NotEqual(0, Tool.TryRun("ip", ["link", "show", network.Bridge]).ExitCode);
    }

    [Fact]
    public void TheDefaultNetworkIsMadeOnFirstAttach()
    {
        string ns = _bed.CreateNamespace("default");
        Assert.False(Directory.Exists(_bed.Store.Location.NetworksDirectory));

        var attachment = _bed.Networking.Attach("defa0001", "first", ns, On(NetworkStore.DefaultNetwork));

        var network = _bed.Networks.Get(NetworkStore.DefaultNetwork);
        Assert.True(System.Net.IPNetwork.Parse(network.Subnet).Contains(System.Net.IPAddress.Parse(attachment.Endpoints[0].IPAddress!)));
        Assert.Equal(["first"], network.Containers);
        _bed.Networking.Detach("defa0001");
        Assert.Empty(HostState.VethsOn(network.Bridge));
    }

    [Fact]
    public void ConcurrentAttachesFromManyProcessesGetDistinctAddresses()
    {
        var network = _bed.CreateNetwork("busy");
        var namespaces = Enumerable.Range(0, 6).Select(i => _bed.CreateNamespace("p" + i)).ToList();

        // Separate instances, as separate monitors would be: only the store's lock and host-local's serialize them.
        var attachments = namespaces.AsParallel().WithDegreeOfParallelism(6).Select((ns, i) =>
            new ContainerNetworking(_bed.Store.Location).Attach($"para{i:D4}", "p" + i, ns, On("busy"))).ToList();

        Assert.Equal(6, attachments.Select(a => a.Endpoints[0].IPAddress).Distinct().Count());
        Assert.Equal(6, _bed.Networks.Get("busy").Containers.Count);
        Assert.Equal(6, HostState.VethsOn(network.Bridge).Count);
        Assert.Equal(6, HostState.Leases(_bed.Store.Location, "busy").Count);
    }

    [Fact]
    public void CheckFindsAnInterfaceThatWasTakenAway()
    {
        _bed.CreateNetwork("checked");
        string ns = _bed.CreateNamespace("checked");
        var attachment = _bed.Networking.Attach("c4ec0001", "checked", ns, On("checked"));
        _bed.Networking.Check("c4ec0001");

        // Take away the firewall plugin's rule (not eth0: the bridge plugin's DEL reads the addresses from it).
        Tool.Run("iptables", "-w", "-D", "CNI-FORWARD", "-s", attachment.Endpoints[0].IPAddress + "/32", "-j", "ACCEPT");

        var error = Assert.Throws<EngineException>(() => _bed.Networking.Check("c4ec0001"));
        Assert.Equal("CniPluginFailed", error.ErrorId);
    }

    private static long Inode(string path) => long.Parse(Tool.Run("stat", "-c", "%i", path).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
