using System.Management.Automation;
using ContainerTools.Core.Networking;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Networking;

/// <summary>The network cmdlets as pwsh runs them: binding, pipeline, errors, WhatIf and the rendered tables.</summary>
public sealed class NetworkCmdletTests : IDisposable
{
    private readonly NetworkTestBed _bed = new();
    private readonly PowerShellSession _ps;

    public NetworkCmdletTests() => _ps = new PowerShellSession(_bed.Store);

    public void Dispose()
    {
        _ps.Dispose();
        _bed.Dispose();
    }

    [Fact]
    public void NewGetRemoveRoundTripThroughThePipeline()
    {
        string subnet = NetworkTestBed.NextSubnet();
        var created = _ps.Run($"New-ContainerNetwork -Name web -Subnet {subnet}").Single();
        Assert.IsType<ContainerNetworkInfo>(created.BaseObject);
        Assert.Equal(subnet, created.Properties["Subnet"].Value);

        var names = _ps.Run("Get-ContainerNetwork | ForEach-Object Name").Select(o => o.ToString());
        Assert.Equal(["bridge", "web"], names);
        Assert.Equal("web", _ps.Run("Get-ContainerNetwork w*").Single().Properties["Name"].Value);

        _ps.Run("Get-ContainerNetwork web | Remove-ContainerNetwork -Confirm:$false");
        Assert.Equal(["bridge"], _ps.Run("Get-ContainerNetwork | ForEach-Object Name").Select(o => o.ToString()));
    }

    [Fact]
    public void TableLooksLikeDockerNetworkLs()
    {
        string subnet = NetworkTestBed.NextSubnet();
        _ps.Run($"New-ContainerNetwork -Name backend -Subnet {subnet} -Internal");

        // Header colours are ANSI escapes in the rendered text; the columns are what matter here.
        string table = System.Text.RegularExpressions.Regex.Replace(_ps.Render("Get-ContainerNetwork backend"), "\u001b\\[[0-9;]*m", "");

        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^NAME\s+DRIVER\s+SUBNET\s+GATEWAY\s+INTERNAL\s+CONTAINERS\s+BRIDGE$", lines[0]);
        Assert.Matches($@"^backend\s+bridge\s+{System.Text.RegularExpressions.Regex.Escape(subnet)}\s+-\s+yes\s+0\s+ct-[0-9a-f]{{10}}$", lines[2]);
    }

    [Theory]
    [InlineData("New-ContainerNetwork -Name other -Subnet 10.213.0.0/16", "SubnetOverlaps,ContainerTools.Cmdlets.NewContainerNetworkCommand", ErrorCategory.InvalidArgument)]
    [InlineData("New-ContainerNetwork -Name taken", "NetworkExists,ContainerTools.Cmdlets.NewContainerNetworkCommand", ErrorCategory.ResourceExists)]
    [InlineData("Get-ContainerNetwork nope", "NetworkNotFound,ContainerTools.Cmdlets.GetContainerNetworkCommand", ErrorCategory.ObjectNotFound)]
    [InlineData("Remove-ContainerNetwork nope", "NetworkNotFound,ContainerTools.Cmdlets.RemoveContainerNetworkCommand", ErrorCategory.ObjectNotFound)]
    [InlineData("Connect-ContainerNetwork -Network taken -Container ghost", "ContainerNotFound,ContainerTools.Cmdlets.ConnectContainerNetworkCommand", ErrorCategory.ObjectNotFound)]
    public void BadInputIsAnErrorRecordWithItsCategory(string script, string errorId, ErrorCategory category)
    {
        _ps.Run($"New-ContainerNetwork -Name taken -Subnet {NetworkTestBed.NextSubnet()}; Get-ContainerNetwork");
        var before = Directory.GetFiles(_bed.Store.Location.NetworksDirectory).Order().ToList();

        var result = _ps.Invoke(script);

        var error = Assert.Single(result.Errors);
        Assert.Equal(errorId, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.NotNull(error.TargetObject);
        Assert.Equal(before, Directory.GetFiles(_bed.Store.Location.NetworksDirectory).Order().ToList());
    }

    [Fact]
    public void ABadNameInThePipelineDoesNotStopTheRest()
    {
        _ps.Run($"New-ContainerNetwork -Name one -Subnet {NetworkTestBed.NextSubnet()}");
        _ps.Run($"New-ContainerNetwork -Name two -Subnet {NetworkTestBed.NextSubnet()}");

        var result = _ps.Invoke("'one', 'ghost', 'two' | Remove-ContainerNetwork -Confirm:$false");

        Assert.Single(result.Errors);
        Assert.Equal(["bridge"], _ps.Run("Get-ContainerNetwork | ForEach-Object Name").Select(o => o.ToString()));
    }

    [Fact]
    public void RemoveWithWhatIfChangesNothingAndInUseNeedsForce()
    {
        _bed.CreateNetwork("busy");
        _bed.Networking.Attach("c1d2e3f4a5b6c7d8", "worker", _bed.CreateNamespace("w"), new NetworkRequest([new EndpointRequest("busy")], []));

        _ps.Run("Remove-ContainerNetwork busy -Force -WhatIf");
        var refused = _ps.Invoke("Remove-ContainerNetwork busy -Confirm:$false");
        Assert.Equal("NetworkInUse,ContainerTools.Cmdlets.RemoveContainerNetworkCommand", Assert.Single(refused.Errors).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceBusy, refused.Errors[0].CategoryInfo.Category);
        Assert.Equal(["worker"], (IEnumerable<string>)_ps.Run("(Get-ContainerNetwork busy).Containers").Select(o => o.ToString()).ToList());

        _ps.Run("Remove-ContainerNetwork busy -Force -Confirm:$false");
        Assert.Null(_bed.Networking.Get("c1d2e3f4a5b6c7d8")!.Endpoints.FirstOrDefault());
    }

    [Fact]
    public void ConnectAndDisconnectARunningContainerByNameOrObject()
    {
        BusyboxImage.Import(_ps);
        _bed.CreateNetwork("front");
        _bed.CreateNetwork("back");
        var app = _ps.Run("New-Container busybox -Name app -Network front -Command 'sleep', '60' -Start").Single();
        string id = (string)app.Properties["Id"].Value, ns = $"/proc/{app.Properties["Pid"].Value}/ns/net";

        var passed = _ps.Run("Connect-ContainerNetwork -Network back -Container app -Alias api -PassThru").Single();
        Assert.Equal(["app"], (IEnumerable<string>)passed.Properties["Containers"].Value);
        Assert.Contains("eth1", HostState.InterfacesIn(ns));
        Assert.Equal(["api"], _bed.Networking.Get(id)!.Endpoints[1].Aliases);

        _ps.Run($"[pscustomobject]@{{ Id = '{id[..6]}' }} | Disconnect-ContainerNetwork -Network back -Confirm:$false");
        Assert.DoesNotContain("eth1", HostState.InterfacesIn(ns));
    }

    [Fact]
    public void NetworkNamesCompleteOnTab()
    {
        _ps.Run($"New-ContainerNetwork -Name frontend -Subnet {NetworkTestBed.NextSubnet()}");
        var completions = _ps.Run("(TabExpansion2 -inputScript 'Remove-ContainerNetwork fro' -cursorColumn 27).CompletionMatches | ForEach-Object CompletionText");
        Assert.Equal(["frontend"], completions.Select(c => c.ToString()));
    }
}
