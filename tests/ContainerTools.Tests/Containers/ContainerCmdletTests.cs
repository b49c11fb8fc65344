using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>The container cmdlets as a PowerShell user meets them: binding, pipelines, errors, formats.</summary>
public sealed class ContainerCmdletTests : BusyboxSessionTest
{
    [Fact]
    public void NewContainerIsCreatedAndStartRunsIt()
    {
        var created = Ps.Run("New-Container busybox -Name web -Label @{ tier = 'front' } sleep 300").Single();
        Assert.Equal("Created", created.Properties["Status"].Value);
        Assert.Equal("busybox:latest", created.Properties["Image"].Value);
        Assert.Equal("sleep 300", created.Properties["Command"].Value);
        var running = Ps.Run("Start-Container web -PassThru").Single();
        Assert.Equal("Running", running.Properties["Status"].Value);
        Assert.True((int)running.Properties["Pid"].Value > 1);
        var started = Ps.Run("New-Container busybox -Name api -Start -- sleep 300").Single();
        Assert.Equal("Running", started.Properties["Status"].Value);
    }

    [Fact]
    public void PipelinesStartStopAndRemoveByNameIdAndObject()
    {
        Ps.Run("New-Container busybox -Name a sleep 300; New-Container busybox -Name b sleep 300 | Out-Null");
        Ps.Run("'a', 'b' | Start-Container");
        Assert.Equal(2, Ps.Run("Get-Container -Status Running").Count);
        Ps.Run("Get-Container | Stop-Container -Timeout 0");
        Assert.Equal(2, Ps.Run("Get-Container -Status Exited").Count);
        string id = (string)Ps.Run("(Get-Container a).Id").Single().BaseObject;
        Ps.Run($"Start-Container -Id '{id[..8]}'");
        Assert.Equal("Running", Ps.Run("(Get-Container a).Status").Single().BaseObject);
        Ps.Run("Get-Container -Status Exited | Remove-Container");
        Assert.Equal(["a"], Ps.Run("Get-Container").Select(c => (string)c.Properties["Name"].Value));
    }

    [Fact]
    public void AMissingContainerIsANonTerminatingErrorAndTheRestGoOn()
    {
        Ps.Run("New-Container busybox -Name real sleep 300 | Out-Null");
        var result = Ps.Invoke("'ghost', 'real' | Start-Container -PassThru");
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.StartsWith("ContainerNotFound", error.FullyQualifiedErrorId);
        Assert.Equal("ghost", error.TargetObject);
        Assert.Equal("real", Assert.Single(result.Output).Properties["Name"].Value);
    }

    [Fact]
    public void ADuplicateNameIsAClearErrorAndCreatesNothing()
    {
        Ps.Run("New-Container busybox -Name twin true | Out-Null");
        var result = Ps.Invoke("New-Container busybox -Name twin true");
        Assert.Equal(ErrorCategory.ResourceExists, result.AllErrors.Single().CategoryInfo.Category);
        Assert.Contains("twin", result.AllErrors.Single().Exception.Message);
        Assert.Single(Ps.Run("Get-Container"));
        var renamed = Ps.Invoke("New-Container busybox -Name other true | Out-Null; Rename-Container other twin");
        Assert.Equal(ErrorCategory.ResourceExists, renamed.AllErrors.Single().CategoryInfo.Category);
        Ps.Run("Rename-Container other third");
        Assert.Equal(["third", "twin"], Ps.Run("Get-Container | ForEach-Object Name").Select(o => (string)o.BaseObject).Order());
    }

    [Fact]
    public void WhatIfChangesNothingAndRunningContainersNeedForce()
    {
        Ps.Run("New-Container busybox -Name svc -Start sleep 300 | Out-Null");
        Ps.Run("Stop-Container svc -WhatIf; Restart-Container svc -WhatIf; Remove-Container svc -Force -WhatIf");
        Assert.Equal("Running", Ps.Run("(Get-Container svc).Status").Single().BaseObject);
        var refused = Ps.Invoke("Remove-Container svc");
        Assert.Equal(ErrorCategory.ResourceBusy, refused.Errors.Single().CategoryInfo.Category);
        Ps.Run("Remove-Container svc -Force");
        Assert.Empty(Ps.Run("Get-Container"));
    }

    [Fact]
    public void WaitReturnsTheExitCodeAndTimesOutClearly()
    {
        Ps.Run("New-Container busybox -Name quick -Start -- sh -c 'sleep 1; exit 3' | Out-Null");
        Assert.Equal(3, Ps.Run("(Wait-Container quick).ExitCode").Single().BaseObject);
        Ps.Run("New-Container busybox -Name slow -Start sleep 300 | Out-Null");
        var result = Ps.Invoke("Wait-Container slow -Timeout 1");
        Assert.StartsWith("WaitTimedOut", result.Errors.Single().FullyQualifiedErrorId);
    }

    [Fact]
    public void GetContainerFiltersByWildcardIdAndStatus()
    {
        Ps.Run("New-Container busybox -Name web1 true; New-Container busybox -Name web2 true; New-Container busybox -Name db true | Out-Null");
        Assert.Equal(2, Ps.Run("Get-Container web*").Count);
        string id = (string)Ps.Run("(Get-Container db).Id").Single().BaseObject;
        Assert.Equal("db", Ps.Run($"(Get-Container -Id '{id[..10]}').Name").Single().BaseObject);
        Assert.Equal(3, Ps.Run("Get-Container -Status Created").Count);
        Assert.Empty(Ps.Run("Get-Container -Status Running"));
        Assert.Equal(ErrorCategory.ObjectNotFound, Ps.Invoke("Get-Container nope").Errors.Single().CategoryInfo.Category);
    }

    [Fact]
    public void GetContainerTakesAnIdOrIdPrefixWhereANameGoes()
    {
        // What a docker user pastes from the table; a name that looks like an id prefix still comes first.
        Ps.Run("New-Container busybox -Name db true | Out-Null");
        string id = (string)Ps.Run("(Get-Container db).Id").Single().BaseObject;
        Assert.Equal("db", Ps.Run($"(Get-Container {id[..12]}).Name").Single().BaseObject);
        Assert.Equal("db", Ps.Run($"(Get-Container {id}).Name").Single().BaseObject);
        Ps.Run($"New-Container busybox -Name {id[..2]} true | Out-Null");
        Assert.Equal(id[..2], Ps.Run($"(Get-Container {id[..2]}).Name").Single().BaseObject);
        var missing = Ps.Invoke("Get-Container 0123456789ab").Errors.Single();
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
        Assert.Equal("0123456789ab", missing.TargetObject);
    }

    [Fact]
    public void TableLooksLikeDockerPs()
    {
        Ps.Run("New-Container busybox -Name up -Start sleep 300; New-Container busybox -Name done -- sh -c 'exit 0' | Start-Container; Wait-Container done | Out-Null");
        string table = Plain(Ps.Render("Get-Container"));
        Assert.Matches(@"Id\s+Name\s+Image\s+Status\s+Ports\s+Created\s+Command", table);
        Assert.Matches(@"(?m)^[0-9a-f]{12} up\s+busybox:latest\s+Up .*ago\s+""sleep 300""", table);
        Assert.Matches(@"(?m)^[0-9a-f]{12} done\s+busybox:latest\s+Exited \(0\) .*ago", table);
    }

    /// <summary>The text without the host's colour escapes.</summary>
    private static string Plain(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\x1b\\[[0-9;]*m", "");

    [Fact]
    public void NamesCompleteOnTab()
    {
        Ps.Run("New-Container busybox -Name webserver true; New-Container busybox -Name worker true | Out-Null");
        foreach (string line in new[] { "Stop-Container web", "Connect-ContainerNetwork bridge web", "Disconnect-ContainerNetwork bridge web" })
        {
            var matches = Ps.Run($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches.CompletionText");
            Assert.Equal(["webserver"], matches.Select(m => (string)m.BaseObject));
        }
    }

    [Fact]
    public void AnImageInUseIsNotRemovedWithoutForce()
    {
        Ps.Run("New-Container busybox -Name user true | Out-Null");
        var refused = Ps.Invoke("Remove-ContainerImage busybox");
        Assert.StartsWith("ImageInUse", refused.Errors.Single().FullyQualifiedErrorId);
        Assert.Single(Ps.Run("Get-ContainerImage"));
        Ps.Run("Remove-Container user; Remove-ContainerImage busybox");
        Assert.Empty(Ps.Run("Get-ContainerImage"));
    }

    [Fact]
    public void BadInputIsAnErrorRecordAndCreatesNothing()
    {
        foreach (var script in new[]
        {
            "New-Container busybox -Name 'bad name' true",
            "New-Container no-such-image -Pull Never true",
            "New-Container busybox -Hostname 'a b' true",
            "New-Container busybox -Environment @{ 'A=B' = 1 } true",
        })
        {
            var result = Ps.Invoke(script);
            Assert.True(result.Failed, script);
            Assert.Contains(result.AllErrors.Single().CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.ObjectNotFound });
        }
        Assert.Empty(Ps.Run("Get-Container"));
        Assert.False(Directory.Exists(Store.Location.ContainersDirectory) && Directory.EnumerateFileSystemEntries(Store.Location.ContainersDirectory).Any());
    }
}
