using System.Diagnostics;
using ContainerTools.Core;
using ContainerTools.Core.Networking;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Networking;

/// <summary>Item 6: nothing of a container's networking outlives it, whatever way it ends.</summary>
public sealed class LeakTests : IDisposable
{
    private readonly NetworkTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void FiftyAttachDetachCyclesLeaveNoVethRuleLeaseOrPin()
    {
        var network = _bed.CreateNetwork("cycle");
        int port = HostPorts.Free();
        var request = new NetworkRequest([new EndpointRequest("cycle")], [PortMapping.Parse($"{port}:80")]);
        var addresses = new HashSet<string>();

        for (int i = 0; i < 50; i++)
        {
            string ns = _bed.CreateNamespace("c" + i);
            string id = $"cyc{i:D4}{_bed.Unique.Replace("ctt-", "")}";
            var attachment = _bed.Networking.Attach(id, "c" + i, ns, request);
            addresses.Add(attachment.Endpoints[0].IPAddress!);
            Assert.Single(HostState.VethsOn(network.Bridge));
            _bed.Networking.Detach(id);
            Tool.Run("ip", "netns", "del", Path.GetFileName(ns));
            Assert.Empty(HostState.RulesMentioning(id));
        }

        AssertNothingLeft(network, addresses, port);
    }

    [Fact]
    public void AfterTheContainerIsKilledDetachStillUndoesEverything()
    {
        var network = _bed.CreateNetwork("crash");
        int port = HostPorts.Free();
        // A "container": a process in its own network namespace, which nothing else holds.
        using var container = Process.Start(new ProcessStartInfo("unshare", ["--net", "sleep", "600"]))!;
        string netns = $"/proc/{container.Id}/ns/net";
        WaitForOwnNamespace(container.Id);
        var attachment = _bed.Networking.Attach("c4a5e0001", "victim", netns,
            new NetworkRequest([new EndpointRequest("crash")], [PortMapping.Parse($"127.0.0.1:{port}:80")]));
        string ip = attachment.Endpoints[0].IPAddress!;
        Assert.NotEmpty(HostState.RulesMentioning(ip));

        container.Kill();
        container.WaitForExit();
        // The monitor died too: a new process (a later cmdlet, a recovering monitor) cleans up from the record.
        new ContainerNetworking(_bed.Store.Location).Detach("c4a5e0001");
        new ContainerNetworking(_bed.Store.Location).Detach("c4a5e0001"); // idempotent

        AssertNothingLeft(network, [ip], port);
        Assert.Null(_bed.Networking.Get("c4a5e0001"));
    }

    [Fact]
    public void APluginFailingHalfWayUndoesThePluginsBeforeIt()
    {
        var network = _bed.CreateNetwork("half");
        string ns = _bed.CreateNamespace("half");
        int port = HostPorts.Free();
        var networking = _bed.WithFailingFirewall();

        var error = Assert.Throws<EngineException>(() => networking.Attach("4a1f0001", "half", ns,
            new NetworkRequest([new EndpointRequest("half")], [PortMapping.Parse($"{port}:80")])));

        Assert.Equal("CniPluginFailed", error.ErrorId);
        Assert.Contains("injected failure", error.Message);
        Assert.Equal(["lo"], HostState.InterfacesIn(ns));
        AssertNothingLeft(network, [], port);
        Assert.Empty(HostState.RulesMentioning("4a1f0001"));
    }

    [Fact]
    public void ANetworkMadeAgainUnderItsNameGetsItsBridgeBackAndItsIsolationRulesDoNotPileUp()
    {
        // The firewall plugin keeps a bridge's two isolation rules after its last DEL. Before, a network made again
        // got a new random bridge name: each removal and re-creation left two more rules for good.
        string? bridge = null;
        for (int i = 0; i < 3; i++)
        {
            var network = _bed.CreateNetwork("again");
            bridge ??= network.Bridge;
            Assert.Equal(bridge, network.Bridge);
            string id = $"a9a1{i:D4}{_bed.Unique.Replace("ctt-", "")}";
            _bed.Networking.Attach(id, "again" + i, _bed.CreateNamespace("again" + i), new NetworkRequest([new EndpointRequest("again")], []));
            // The same bridge name's rules are reused, never added again (at most 2: other tests' clean-ups may
            // delete the rules of a bridge while it is gone, before the next attach adds them back).
            Assert.InRange(HostState.RulesMentioning(bridge).Count, 0, 2);
            _bed.Networking.Detach(id);
            _bed.Networks.Remove("again");
        }
    }

    private void AssertNothingLeft(ContainerNetworkInfo network, IEnumerable<string> addresses, int port)
    {
        Assert.Empty(HostState.VethsOn(network.Bridge));
        Assert.Empty(HostState.Leases(_bed.Store.Location, network.Name));
        foreach (var ip in addresses)
        {
            Assert.Empty(HostState.RulesMentioning(ip + "/32"));
            Assert.Empty(HostState.RulesMentioning(ip + ":"));
        }
        Assert.Empty(HostState.RulesMentioning($"--dport {port} "));
        Assert.Empty(HostState.RulesMentioning($"--dports {port} "));
        string pins = Path.Combine(_bed.Store.Location.RunRoot, "networks", "netns");
        Assert.Empty(Directory.Exists(pins) ? Directory.GetFiles(pins) : []);
        Assert.Empty(Cleanup.MountPointsBelow(_bed.Store.Path));
        Assert.Empty(Directory.GetFiles(Path.Combine(_bed.Store.Location.RunRoot, "networks", "attachments")));
    }

    private static void WaitForOwnNamespace(int pid)
    {
        string host = Tool.Run("readlink", "/proc/self/ns/net");
        for (int i = 0; i < 200 && Tool.TryRun("readlink", [$"/proc/{pid}/ns/net"]).Stdout == host; i++)
            Thread.Sleep(10);
    }
}
