using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>
/// The container cmdlets given unusual input, or used on a container in an unusual state: each is what a docker or
/// podman user expects, an ErrorRecord with the right category and target where they refuse, and nothing left behind.
/// </summary>
public sealed class ParameterEdgeTests : BusyboxSessionTest
{
    [Fact]
    public void StartingAPausedContainerIsRefusedAndTheRestGoOn()
    {
        // It returned the paused container as if started; docker and podman refuse ("cannot start a paused container").
        Ps.Run("New-Container busybox -Network none -Name frozen -Start sleep 300 | Suspend-Container; New-Container busybox -Network none -Name fresh sleep 300 | Out-Null");
        var result = Ps.Invoke("'frozen', 'fresh' | Start-Container -PassThru");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ContainerPaused", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Equal("frozen", error.TargetObject);
        Assert.Equal("fresh", Assert.Single(result.Output).Properties["Name"].Value);
        Assert.Equal("Paused", Ps.Run("(Get-Container frozen).Status").Single().BaseObject);
        Assert.Equal("Running", Ps.Run("Resume-Container frozen -PassThru | ForEach-Object Status").Single().BaseObject);
    }

    [Fact]
    public void ARelativeWorkingDirectoryIsRefusedAtCreation()
    {
        // It ran in /rel/dir without a word; docker refuses it ("needs to be an absolute path").
        foreach (string script in new[]
        {
            "New-Container busybox -Network none -WorkingDirectory rel/dir pwd",
            "Invoke-ContainerImage busybox -Network none -Remove -WorkingDirectory rel/dir pwd",
        })
        {
            var error = Ps.Invoke(script).AllErrors.Single();
            Assert.StartsWith("InvalidWorkingDirectory", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal("rel/dir", error.TargetObject);
        }
        Assert.Empty(Ps.Run("Get-Container"));
        Assert.Equal(["/made/here"], Ps.Run("Invoke-ContainerImage busybox -Network none -Remove -WorkingDirectory /made/here pwd").Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void UidsAndGidsBeyondDockersRangeAreRefusedAtCreation()
    {
        // 4294967295 was created and failed to start with "setgroups failed: Invalid argument"; 4294967296 as "no user".
        foreach (string user in new[] { "4294967295", "4294967296:0", "0:2147483648", "nobody:99999999999" })
        {
            var error = Ps.Invoke($"New-Container busybox -Network none -User '{user}' id").AllErrors.Single();
            Assert.StartsWith("InvalidUser", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(user, error.TargetObject);
        }
        Assert.Empty(Ps.Run("Get-Container"));
        Assert.Equal(["2147483647 0"], Ps.Run("Invoke-ContainerImage busybox -Network none -Remove -User 2147483647:0 -- sh -c 'echo $(id -u) $(id -g)'")
            .Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void ALabelWithoutAKeyIsRefused()
    {
        // It was kept as a label named ''; podman refuses it ("invalid label format").
        foreach (string key in new[] { "", " " })
        {
            var error = Ps.Invoke($"New-Container busybox -Network none -Label @{{ '{key}' = 'x' }} true").AllErrors.Single();
            Assert.StartsWith("InvalidLabel", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(key, error.TargetObject);
        }
        Assert.Empty(Ps.Run("Get-Container"));
    }

    [Fact]
    public void RenameWithWhatIfFindsTheContainerFirst()
    {
        // -WhatIf said it would rename a container that does not exist, where every other cmdlet says it is not there.
        var result = Ps.Invoke("Rename-Container ghost other -WhatIf");
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("ghost", error.TargetObject);
        string id = (string)Ps.Run("(New-Container busybox -Network none -Name kept true).Id").Single().BaseObject;
        Ps.Run($"Rename-Container {id[..12]} other -WhatIf");
        Assert.Contains("\"kept\"", Ps.HostText);
        Assert.Equal(["kept"], Ps.Run("Get-Container | ForEach-Object Name").Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void SinceTakesUnixTimeAsDockerDoes()
    {
        Ps.Run("New-Container busybox -Network none -Name talk -Start -- sh -c 'echo one' | Wait-Container | Out-Null");
        long future = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        long past = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        // A number was ticks of the year 1: every line, whatever the time given.
        foreach (string since in new[] { $"{future}", $"'{future}'", $"'{future}.5'", $"{future}.5" })
            Assert.Empty(Ps.Run($"Get-ContainerLog talk -Since {since}"));
        foreach (string since in new[] { $"{past}", $"'{past}.25'", "0" })
            Assert.Equal(["one"], Ps.Run($"Get-ContainerLog talk -Since {since}").Select(o => (string)o.BaseObject));
        Assert.Equal(ErrorCategory.InvalidData, Ps.Invoke("Get-ContainerLog talk -Since 1e300").AllErrors.Single().CategoryInfo.Category);
    }

    [Fact]
    public void APortRangeIsPublishedPortByPortAsDockerDoes()
    {
        // '8080-8081:80-81' was refused ("'8080-8081' is not a port number").
        int port = HostPorts.Free(count: 2);
        // A subnet of its own: the default network's 10.88.0.0/16 is unreachable while another store's bridge holds it.
        Ps.Run($"New-ContainerNetwork edge -Subnet {Networking.NetworkTestBed.NextSubnet()} | Out-Null");
        var web = Ps.Run($"New-Container busybox -Network edge -Publish '127.0.0.1:{port}-{port + 1}:80-81' -Start -- sh -c 'echo eighty-one > /tmp/index.html; httpd -p 80 -h /tmp; exec httpd -f -p 81 -h /tmp'").Single();
        Assert.Equal($"127.0.0.1:{port}->80/tcp, 127.0.0.1:{port + 1}->81/tcp", web.Properties["Ports"].Value);
        string fetch = $"for i in 1 2 3 4 5 6 7 8 9 10; do timeout 3 {Busybox.Binary} wget -q -O - http://127.0.0.1:{port + 1}/ && exit 0; sleep 0.3; done; exit 1";
        Assert.Equal("eighty-one", Tool.TryRun("sh", ["-c", fetch]).Stdout.Trim());
        var chosen = (string)Ps.Run("(New-Container busybox -Network edge -Publish '127.0.0.1::80-81' -Start sleep 300).Ports").Single().BaseObject;
        Assert.Matches(@"^127\.0\.0\.1:(\d+)->80/tcp, 127\.0\.0\.1:(?!\1)\d+->81/tcp$", chosen);
        foreach (string range in new[] { "8080-8081:80-82", "81-80", "8080-:80" })
        {
            var error = Ps.Invoke($"New-Container busybox -Network edge -Publish '{range}' true").AllErrors.Single();
            Assert.StartsWith("InvalidPortMapping", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(range, error.TargetObject);
        }
        Assert.Equal(2, Ps.Run("Get-Container").Count);
    }

    [Fact]
    public void ABareNameTakesTheSessionsValueAsDockerRunEDoes()
    {
        // 'TERM' alone was refused ("is not NAME=value"): docker run -e TERM passes the caller's, and --label solo an empty one.
        string set = "CTT_EDGE_" + Guid.NewGuid().ToString("N")[..8], unset = set + "_UNSET";
        System.Environment.SetEnvironmentVariable(set, "from session");
        try
        {
            string script = $"echo \"[${set}] [${{{unset}-unset}}] [$B]\"";
            var lines = Ps.Run($"Invoke-ContainerImage busybox -Network none -Remove -Environment '{set}', '{unset}', 'B=2' -- sh -c '{script}'");
            Assert.Equal(["[from session] [unset] [2]"], lines.Select(o => (string)o.BaseObject));
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(set, null);
        }
        var labels = (IReadOnlyDictionary<string, string>)Ps.Run("(New-Container busybox -Network none -Label 'solo', 'tier=web' true).Labels").Single().BaseObject;
        Assert.Equal(new Dictionary<string, string> { ["solo"] = "", ["tier"] = "web" }, labels);
    }

    [Fact]
    public void NewContainerWhatIfCreatesAndPullsNothing()
    {
        // New-Container had no -WhatIf (a binding error), where New-ContainerVolume and New-ContainerNetwork have one.
        Ps.Run("New-Container busybox -Network none -Name maybe -Start -WhatIf sleep 300");
        Assert.Contains("\"maybe\"", Ps.HostText);
        Assert.Empty(Ps.Run("Get-Container"));
        // A missing image is not pulled either: nothing listens on port 1, so a pull would fail.
        Assert.False(Ps.Invoke("New-Container 127.0.0.1:1/none/such:1 -WhatIf true").Failed);
        Assert.Single(Ps.Run("Get-ContainerImage"));
    }

    [Fact]
    public void ARenamedContainerIsResolvedByItsNewName()
    {
        // Its peers resolved the old name, and not the new one, until it was restarted; docker's resolver follows a rename at once.
        Ps.Run($"New-ContainerNetwork edge -Subnet {Networking.NetworkTestBed.NextSubnet()} | Out-Null");
        Ps.Run("New-Container busybox -Network edge -Name before -Start sleep 300; New-Container busybox -Network edge -Name peer -Start sleep 300 | Out-Null");
        Ps.Run("Rename-Container before after");
        string hosts = ExecIn("peer", "cat /etc/hosts");
        Assert.Matches(@"(?m)^[0-9.]+\tafter [0-9a-f]{12}$", hosts);
        Assert.DoesNotContain("before", hosts);
        Assert.Contains("after", (string)Ps.Run("(Get-ContainerNetwork edge).Containers -join ','").Single().BaseObject);
    }

    [Fact]
    public void AnEmptyCommandIsNotFoundAsDockerSaysIt()
    {
        // It was tried in each PATH directory itself: "cannot execute : Permission denied", exit code 126.
        var run = Ps.Invoke("Invoke-ContainerImage busybox -Network none -Remove -- ''; $LASTEXITCODE");
        Assert.Contains("executable file not found", run.AllErrors.Single().Exception.Message);
        Assert.Equal(127, Ps.Run("$LASTEXITCODE").Single().BaseObject);
        Assert.Empty(Ps.Run("Get-Container"));
    }

    [Fact]
    public void AMissingWorkingDirectoryIsMadeOnAReadOnlyRootToo()
    {
        // -ReadOnly with a -WorkingDirectory the image lacks did not start ("mkdirat(/made/) failed: Read-only file
        // system"); docker makes it in the container's layer and keeps the root read-only.
        var lines = Ps.Run("Invoke-ContainerImage busybox -Network none -Remove -ReadOnly -WorkingDirectory /made/here -- sh -c 'pwd; touch /made/here/f 2>/dev/null || echo read-only'");
        Assert.Equal(["/made/here", "read-only"], lines.Select(o => (string)o.BaseObject));
        var error = Ps.Invoke("New-Container busybox -Network none -Name notdir -WorkingDirectory /etc/passwd -Start pwd").AllErrors.Single();
        Assert.Contains("working directory /etc/passwd is not a directory", error.Exception.Message);
    }

    [Fact]
    public void APausedContainerIsCalledPausedInErrors()
    {
        // Suspending it again was ContainerNotRunning, and Remove-Container said it "is running" (docker: "already paused", "paused").
        Ps.Run("New-Container busybox -Network none -Name frozen -Start sleep 300 | Suspend-Container");
        var again = Ps.Invoke("Suspend-Container frozen").Errors.Single();
        Assert.StartsWith("ContainerAlreadyPaused,", again.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, again.CategoryInfo.Category);
        var remove = Ps.Invoke("Remove-Container frozen").Errors.Single();
        Assert.Equal(ErrorCategory.ResourceBusy, remove.CategoryInfo.Category);
        Assert.Contains("frozen is paused", remove.Exception.Message);
        Ps.Run("Remove-Container frozen -Force");
        Assert.Empty(Ps.Run("Get-Container"));
    }
}
