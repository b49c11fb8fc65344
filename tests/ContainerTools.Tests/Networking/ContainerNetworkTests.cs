using System.Management.Automation;
using ContainerTools.Core.Containers;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Networking;

/// <summary>
/// Item 4 end to end: real containers started by the cmdlets, real traffic between them and with the host
/// (127.0.0.1 only), and item 6's no-leak claims after stops, 50 runs and a kill -9 of the monitor.
/// </summary>
public sealed class ContainerNetworkTests : IDisposable
{
    private readonly NetworkTestBed _bed = new();
    private readonly PowerShellSession _ps;

    public ContainerNetworkTests()
    {
        _ps = new PowerShellSession(_bed.Store);
        _ps.Run($"Import-ContainerImage -Path '{Path.Combine(Repository.ModuleDirectory, "images", "busybox.tar.gz")}' -Name busybox:latest");
    }

    public void Dispose()
    {
        _ps.Dispose();
        _bed.Dispose();
    }

    /// <summary>A detached busybox httpd serving <paramref name="page"/> on port 80.</summary>
    private PSObject StartWeb(string name, string network, string extra = "")
    {
        string command = $"'sh', '-c', 'echo {name}-page > /tmp/index.html; exec httpd -f -p 80 -h /tmp'";
        return _ps.Run($"New-Container busybox -Name {name} -Network {network} {extra} -Command {command} -Start").Single();
    }

    /// <summary>Runs sh -c in a new container to its end; returns $LASTEXITCODE and its stdout lines.</summary>
    private (int ExitCode, string Output) RunIn(string network, string script)
    {
        var result = _ps.Invoke($"Invoke-ContainerImage busybox -Network {network} -Remove -Command 'sh', '-c', $script; $LASTEXITCODE",
            new Dictionary<string, object?> { ["script"] = script });
        var lines = result.Output.Select(o => o.ToString()).ToList();
        return (int.Parse(lines[^1], System.Globalization.CultureInfo.InvariantCulture), string.Join("\n", lines.SkipLast(1)));
    }

    // wget retries while the server starts; busybox wget -T crashes, so timeout(1) bounds each try.
    private const string Fetch = "for i in 1 2 3 4 5 6 7 8 9 10; do timeout 3 wget -q -O - $0 && exit 0; sleep 0.3; done; exit 1";

    /// <summary>
    /// One bounded try. Never the last command of sh -c: sh would exec it as PID 1, and busybox timeout's
    /// SIGTERM to a PID 1 without a handler is ignored.
    /// </summary>
    private static string FetchOnce(string url) => $"timeout 3 wget -q -O - {url}; exit $?";

    [Fact]
    public void WebServerIsReachedByNameAndAliasFromAPeerAndFromTheHostThroughAPublishedPort()
    {
        _bed.CreateNetwork("app");
        int port = HostPorts.Free();
        StartWeb("web", "app", $"-NetworkAlias www -Publish '127.0.0.1:{port}:80'");

        var byName = RunIn("app", Fetch.Replace("$0", "http://web/"));
        var byAlias = RunIn("app", Fetch.Replace("$0", "http://www/"));
        var fromHost = Tool.TryRun("sh", ["-c", Fetch.Replace("wget", Busybox.Binary + " wget"), $"http://127.0.0.1:{port}/"]);

        Assert.Equal((0, "web-page"), byName);
        Assert.Equal((0, "web-page"), byAlias);
        Assert.Equal("web-page", fromHost.Stdout.Trim());
        var web = _ps.Run("Get-Container web").Single();
        Assert.Equal($"127.0.0.1:{port}->80/tcp", web.Properties["Ports"].Value);
        Assert.StartsWith(_bed.Networks.Get("app").Subnet[..^5], (string)web.Properties["IPAddress"].Value);
        // The docker ps-like table has a Ports column (it may shorten the value to fit the width).
        Assert.Contains("127.0.0.1:", _ps.Render("Get-Container web"));
    }

    [Fact]
    public void APortWithoutHostPortGetsAFreeOneThatIsShownServesAndIsKeptOverARestart()
    {
        _bed.CreateNetwork("anyport");
        StartWeb("chosen", "anyport", "-Publish '127.0.0.1::80'");
        string ports = (string)_ps.Run("Get-Container chosen").Single().Properties["Ports"].Value;
        var match = System.Text.RegularExpressions.Regex.Match(ports, @"^127\.0\.0\.1:(\d+)->80/tcp$");
        Assert.True(match.Success, ports);
        string url = $"http://127.0.0.1:{match.Groups[1].Value}/";
        Assert.Equal("chosen-page", Tool.TryRun("sh", ["-c", Fetch.Replace("wget", Busybox.Binary + " wget"), url]).Stdout.Trim());

        _ps.Run("Stop-Container chosen -Timeout 1; Start-Container chosen");

        Assert.Equal(ports, _ps.Run("Get-Container chosen").Single().Properties["Ports"].Value);
        Assert.Equal("chosen-page", Tool.TryRun("sh", ["-c", Fetch.Replace("wget", Busybox.Binary + " wget"), url]).Stdout.Trim());
        // A second container asking for any port gets another one, though the first is stopped meanwhile.
        _ps.Run("Stop-Container chosen -Timeout 1");
        var second = _ps.Run("New-Container busybox -Name second -Network anyport -Publish 80 -Command true").Single();
        var record = new ContainerStore(_bed.Store.Location).Read((string)second.Properties["Id"].Value)!.Record;
        Assert.NotEqual(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(record.Network.Ports).HostPort);
    }

    [Fact]
    public void ContainersOnDifferentNetworksCannotReachEachOther()
    {
        _bed.CreateNetwork("one");
        _bed.CreateNetwork("two");
        var web = StartWeb("isolated", "one");
        string url = $"http://{web.Properties["IPAddress"].Value}/";

        Assert.Equal((0, "isolated-page"), RunIn("one", Fetch.Replace("$0", url)));
        Assert.NotEqual(0, RunIn("two", FetchOnce(url)).ExitCode);
    }

    [Fact]
    public void NoneHasOnlyLoopbackAndHostSeesTheHostInterfaces()
    {
        // Parallel tests add and remove veths at any moment: the stable proof of "host" is the namespace itself.
        string hostNamespace = new FileInfo("/proc/self/ns/net").LinkTarget!;
        var stable = Directory.GetFileSystemEntries("/sys/class/net").Select(n => Path.GetFileName(n))
            .Where(n => !n.StartsWith("veth", StringComparison.Ordinal) && !n.StartsWith("ct-", StringComparison.Ordinal)).ToList();

        Assert.Equal((0, "lo"), RunIn("none", "ls /sys/class/net"));
        var hostMode = RunIn("host", "readlink /proc/self/ns/net; ls /sys/class/net");
        Assert.Equal(0, hostMode.ExitCode);
        var lines = hostMode.Output.Split('\n');
        Assert.Equal(hostNamespace, lines[0]);
        var inside = lines.Skip(1).ToHashSet(StringComparer.Ordinal);
        Assert.All(stable, name => Assert.Contains(name, inside));
    }

    [Fact]
    public void ConnectAndDisconnectARunningContainer()
    {
        _bed.CreateNetwork("front");
        _bed.CreateNetwork("back");
        StartWeb("api", "front");

        _ps.Run("Get-Container api | Connect-ContainerNetwork -Network back -Alias backend-api");
        Assert.Equal((0, "api-page"), RunIn("back", Fetch.Replace("$0", "http://backend-api/")));
        var addresses = (IReadOnlyDictionary<string, string>)_ps.Run("Get-Container api").Single().Properties["IPAddresses"].Value;
        Assert.Equal(["back", "front"], addresses.Keys.Order());

        _ps.Run("Disconnect-ContainerNetwork -Network back -Container api -Confirm:$false");
        Assert.NotEqual(0, RunIn("back", FetchOnce("http://backend-api/")).ExitCode);
    }

    [Fact]
    public void FiftyRunsAndAKilledMonitorLeaveNothingBehind()
    {
        var network = _bed.CreateNetwork("cycles");
        int port = HostPorts.Free();
        _ps.Run($"1..50 | ForEach-Object {{ Invoke-ContainerImage busybox -Network cycles -Publish '{port}:80' -Remove -Command true }}");
        AssertNoLeftovers(network, port);

        var victim = _ps.Run($"New-Container busybox -Name victim -Network cycles -Publish '{port}:80' -Command 'sleep', '600' -Start").Single();
        string ip = (string)victim.Properties["IPAddress"].Value;
        Assert.NotEmpty(HostState.RulesMentioning(ip + "/32"));
        var monitor = new ContainerStore(_bed.Store.Location).Read((string)victim.Properties["Id"].Value)!.State.Monitor!;
        System.Diagnostics.Process.GetProcessById(monitor.Pid).Kill(); // SIGKILL: no chance to run its DELs

        for (int i = 0; i < 100 && (string)_ps.Run("Get-Container victim").Single().Properties["Status"].Value == "Running"; i++)
            Thread.Sleep(50);
        _ps.Run("Remove-Container victim -Force -Confirm:$false");

        AssertNoLeftovers(network, port);
        Assert.Empty(HostState.RulesMentioning(ip + "/32"));
    }

    [Theory]
    [InlineData("-Network nope", "NetworkNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("-Network bad -IPAddress 192.168.200.7", "IPAddressOutsideSubnet", ErrorCategory.InvalidArgument)]
    [InlineData("-Network bad -Publish '0:80'", "InvalidPortMapping", ErrorCategory.InvalidArgument)]
    [InlineData("-Network bad -Publish '8080:65536'", "InvalidPortMapping", ErrorCategory.InvalidArgument)]
    [InlineData("-Network none -Publish '8080:80'", "NetworkModeConflict", ErrorCategory.InvalidArgument)]
    [InlineData("-Network bad -Publish '{port}:80'", "PortAlreadyPublished", ErrorCategory.ResourceExists)]
    public void BadNetworkParametersAreErrorRecordsAndCreateNothing(string parameters, string errorId, ErrorCategory category)
    {
        _bed.CreateNetwork("bad");
        int port = HostPorts.Free();
        StartWeb("holder", "bad", $"-Publish '{port}:80'");
        var before = Directory.GetDirectories(_bed.Store.Location.ContainersDirectory).Length;

        var result = _ps.Invoke($"New-Container busybox -Name second {parameters.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture))} -Command true");

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(before, Directory.GetDirectories(_bed.Store.Location.ContainersDirectory).Length);
    }

    private void AssertNoLeftovers(Core.Networking.ContainerNetworkInfo network, int port)
    {
        Assert.Empty(HostState.VethsOn(network.Bridge));
        Assert.Empty(HostState.Leases(_bed.Store.Location, network.Name));
        Assert.Empty(HostState.RulesMentioning($"--dports {port} "));
        string pins = Path.Combine(_bed.Store.Location.RunRoot, "networks", "netns");
        Assert.Empty(Directory.Exists(pins) ? Directory.GetFiles(pins) : []);
        Assert.Empty(Directory.GetFiles(Path.Combine(_bed.Store.Location.RunRoot, "networks", "attachments")));
        Assert.Empty(_bed.Networks.Get(network.Name).Containers);
    }
}
