using ContainerTools.Core.Networking;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Networking;

/// <summary>
/// A throwaway store plus the host objects networking tests make: network namespaces (ip netns, a fixture),
/// subnets from 10.213.0.0/16 that no parallel test shares, and on Dispose the undoing of all of it: every
/// attachment detached, every network's bridge deleted, the firewall plugin's per-bridge isolation rules
/// removed, every namespace deleted, even when the test failed.
/// </summary>
public sealed class NetworkTestBed : IDisposable
{
    private static int _subnetCounter = Environment.ProcessId % 64 * 3;
    private readonly List<string> _namespaces = [];
    private readonly List<string> _bridges = [];

    public NetworkTestBed()
    {
        Networking = new ContainerNetworking(Store.Location);
        Networks = new NetworkStore(Store.Location);
    }

    public TestStore Store { get; } = new();
    public ContainerNetworking Networking { get; }
    public NetworkStore Networks { get; }
    public string Unique => Path.GetFileName(Store.Path);

    /// <summary>A /24 no other test of this run uses.</summary>
    public static string NextSubnet() => $"10.213.{Interlocked.Increment(ref _subnetCounter) % 250 + 1}.0/24";

    public ContainerNetworkInfo CreateNetwork(string name, bool @internal = false, string? subnet = null)
    {
        var network = Networks.Create(name, subnet ?? NextSubnet(), null, @internal);
        _bridges.Add(network.Bridge);
        return network;
    }

    /// <summary>A new named network namespace (/run/netns/&lt;name&gt;) made with ip netns.</summary>
    /// <summary>
    /// This store's networking with the real plugins but a firewall whose ADD fails, after the bridge plugin has made
    /// the interface and taken an address (and portmap has done its work): a plugin chain failing half way.
    /// </summary>
    public ContainerNetworking WithFailingFirewall()
    {
        string plugins = Store.Scratch("plugins");
        foreach (var real in new[] { "bridge", "host-local", "loopback", "portmap" })
            File.CreateSymbolicLink(Path.Combine(plugins, real), Path.Combine("/usr/lib/cni", real));
        string firewall = Path.Combine(plugins, "firewall");
        File.WriteAllText(firewall, "#!/bin/sh\n[ \"$CNI_COMMAND\" = ADD ] || exec /usr/lib/cni/firewall\n" +
            "echo '{\"cniVersion\":\"1.0.0\",\"code\":999,\"msg\":\"injected failure\"}'\nexit 1\n");
        File.SetUnixFileMode(firewall, (UnixFileMode)0x1ED /* 0755 */);
        return new ContainerNetworking(Store.Location, new CniPlugin([plugins]));
    }

    public string CreateNamespace(string label)
    {
        string name = $"{Unique}-{label}";
        Tool.Run("ip", "netns", "add", name);
        _namespaces.Add(name);
        return "/run/netns/" + name;
    }

    /// <summary>Runs a command inside a namespace made by <see cref="CreateNamespace"/>.</summary>
    public (int ExitCode, string Stdout, string Stderr) Exec(string netns, params string[] command) =>
        Tool.TryRun("ip", ["netns", "exec", Path.GetFileName(netns), .. command]);

    /// <summary>Starts busybox httpd on port 80 inside the namespace, serving a page that names it.</summary>
    public void StartWebServer(string netns, string content)
    {
        string root = Store.Scratch("www-" + Path.GetFileName(netns));
        File.WriteAllText(Path.Combine(root, "index.html"), content);
        // httpd daemonizes; its command line names the store, so TestStore.Dispose kills it.
        var result = Exec(netns, Busybox.Binary, "httpd", "-p", "80", "-h", root);
        Assert.Equal(0, result.ExitCode);
    }

    /// <summary>A hosts file for a fixture "container", as the runtime writes it before attaching.</summary>
    public string CreateHostsFile(string label)
    {
        string path = Path.Combine(Store.Scratch("hosts"), label);
        File.WriteAllText(path, $"127.0.0.1\tlocalhost\n::1\tlocalhost\n");
        return path;
    }

    /// <summary>wget from inside a namespace, with the given hosts file as its /etc/hosts (a private mount namespace).</summary>
    public (int ExitCode, string Stdout, string Stderr) Fetch(string netns, string url, string? hostsFile = null)
    {
        // busybox wget -T crashes (SIGSEGV) in Debian 12's busybox-static: bound it with timeout(1) instead.
        string wget = $"timeout 5 {Busybox.Binary} wget -q -O - {url}";
        string script = hostsFile is null ? wget : $"mount --bind {hostsFile} /etc/hosts && {wget}";
        return Exec(netns, "unshare", "-m", "--propagation", "private", "sh", "-c", script);
    }

    public void Dispose()
    {
        try
        {
            Store.Dispose(); // detaches every attachment, deletes the bridges of the store's networks
        }
        finally
        {
            // Networks the test removed itself are no longer in the store for TestStore to find.
            foreach (var bridge in _bridges.Distinct())
                Cleanup.RemoveBridge(bridge);
            foreach (var name in _namespaces)
                Tool.TryRun("ip", ["netns", "del", name]);
        }
    }
}
