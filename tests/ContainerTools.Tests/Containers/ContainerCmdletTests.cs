using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>The container cmdlets as a PowerShell user meets them: binding, pipelines, errors, formats.</summary>
public sealed class ContainerCmdletTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;

    public ContainerCmdletTests()
    {
        _ps = new PowerShellSession(_store);
        BusyboxImage.Import(_ps);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _store.Dispose();
    }

    [Fact]
    public void NewContainerIsCreatedAndStartRunsIt()
    {
        var created = _ps.Run("New-Container busybox -Name web -Label @{ tier = 'front' } sleep 300").Single();
        Assert.Equal("Created", created.Properties["Status"].Value);
        Assert.Equal("busybox:latest", created.Properties["Image"].Value);
        Assert.Equal("sleep 300", created.Properties["Command"].Value);
        var running = _ps.Run("Start-Container web -PassThru").Single();
        Assert.Equal("Running", running.Properties["Status"].Value);
        Assert.True((int)running.Properties["Pid"].Value > 1);
        var started = _ps.Run("New-Container busybox -Name api -Start -- sleep 300").Single();
        Assert.Equal("Running", started.Properties["Status"].Value);
    }

    [Fact]
    public void PipelinesStartStopAndRemoveByNameIdAndObject()
    {
        _ps.Run("New-Container busybox -Name a sleep 300; New-Container busybox -Name b sleep 300 | Out-Null");
        _ps.Run("'a', 'b' | Start-Container");
        Assert.Equal(2, _ps.Run("Get-Container -Status Running").Count);
        _ps.Run("Get-Container | Stop-Container -Timeout 0");
        Assert.Equal(2, _ps.Run("Get-Container -Status Exited").Count);
        string id = (string)_ps.Run("(Get-Container a).Id").Single().BaseObject;
        _ps.Run($"Start-Container -Id '{id[..8]}'");
        Assert.Equal("Running", _ps.Run("(Get-Container a).Status").Single().BaseObject);
        _ps.Run("Get-Container -Status Exited | Remove-Container");
        Assert.Equal(["a"], _ps.Run("Get-Container").Select(c => (string)c.Properties["Name"].Value));
    }

    [Fact]
    public void AMissingContainerIsANonTerminatingErrorAndTheRestGoOn()
    {
        _ps.Run("New-Container busybox -Name real sleep 300 | Out-Null");
        var result = _ps.Invoke("'ghost', 'real' | Start-Container -PassThru");
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.StartsWith("ContainerNotFound", error.FullyQualifiedErrorId);
        Assert.Equal("ghost", error.TargetObject);
        Assert.Equal("real", Assert.Single(result.Output).Properties["Name"].Value);
    }

    [Fact]
    public void ADuplicateNameIsAClearErrorAndCreatesNothing()
    {
        _ps.Run("New-Container busybox -Name twin true | Out-Null");
        var result = _ps.Invoke("New-Container busybox -Name twin true");
        Assert.Equal(ErrorCategory.ResourceExists, result.AllErrors.Single().CategoryInfo.Category);
        Assert.Contains("twin", result.AllErrors.Single().Exception.Message);
        Assert.Single(_ps.Run("Get-Container"));
        var renamed = _ps.Invoke("New-Container busybox -Name other true | Out-Null; Rename-Container other twin");
        Assert.Equal(ErrorCategory.ResourceExists, renamed.AllErrors.Single().CategoryInfo.Category);
        _ps.Run("Rename-Container other third");
        Assert.Equal(["third", "twin"], _ps.Run("Get-Container | ForEach-Object Name").Select(o => (string)o.BaseObject).Order());
    }

    [Fact]
    public void WhatIfChangesNothingAndRunningContainersNeedForce()
    {
        _ps.Run("New-Container busybox -Name svc -Start sleep 300 | Out-Null");
        _ps.Run("Stop-Container svc -WhatIf; Restart-Container svc -WhatIf; Remove-Container svc -Force -WhatIf");
        Assert.Equal("Running", _ps.Run("(Get-Container svc).Status").Single().BaseObject);
        var refused = _ps.Invoke("Remove-Container svc");
        Assert.Equal(ErrorCategory.ResourceBusy, refused.Errors.Single().CategoryInfo.Category);
        _ps.Run("Remove-Container svc -Force");
        Assert.Empty(_ps.Run("Get-Container"));
    }

    [Fact]
    public void WaitReturnsTheExitCodeAndTimesOutClearly()
    {
        _ps.Run("New-Container busybox -Name quick -Start -- sh -c 'sleep 1; exit 3' | Out-Null");
        Assert.Equal(3, _ps.Run("(Wait-Container quick).ExitCode").Single().BaseObject);
        _ps.Run("New-Container busybox -Name slow -Start sleep 300 | Out-Null");
        var result = _ps.Invoke("Wait-Container slow -Timeout 1");
        Assert.StartsWith("WaitTimedOut", result.Errors.Single().FullyQualifiedErrorId);
    }

    [Fact]
    public void GetContainerFiltersByWildcardIdAndStatus()
    {
        _ps.Run("New-Container busybox -Name web1 true; New-Container busybox -Name web2 true; New-Container busybox -Name db true | Out-Null");
        Assert.Equal(2, _ps.Run("Get-Container web*").Count);
        string id = (string)_ps.Run("(Get-Container db).Id").Single().BaseObject;
        Assert.Equal("db", _ps.Run($"(Get-Container -Id '{id[..10]}').Name").Single().BaseObject);
        Assert.Equal(3, _ps.Run("Get-Container -Status Created").Count);
        Assert.Empty(_ps.Run("Get-Container -Status Running"));
        Assert.Equal(ErrorCategory.ObjectNotFound, _ps.Invoke("Get-Container nope").Errors.Single().CategoryInfo.Category);
    }

    [Fact]
    public void TableLooksLikeDockerPs()
    {
        _ps.Run("New-Container busybox -Name up -Start sleep 300; New-Container busybox -Name done -- sh -c 'exit 0' | Start-Container; Wait-Container done | Out-Null");
        string table = Plain(_ps.Render("Get-Container"));
        Assert.Matches(@"Id\s+Name\s+Image\s+Command\s+Created\s+Status\s+Ports", table);
        Assert.Matches(@"(?m)^[0-9a-f]{12} up\s+busybox:latest\s+""sleep 300""\s+.*ago\s+Up ", table);
        Assert.Matches(@"(?m)^[0-9a-f]{12} done\s+busybox:latest\s+.*Exited \(0\) .*ago", table);
    }

    /// <summary>The text without the host's colour escapes.</summary>
    private static string Plain(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\x1b\\[[0-9;]*m", "");

    [Fact]
    public void NamesCompleteOnTab()
    {
        _ps.Run("New-Container busybox -Name webserver true; New-Container busybox -Name worker true | Out-Null");
        var matches = _ps.Run("(TabExpansion2 -inputScript 'Stop-Container web' -cursorColumn 18).CompletionMatches.CompletionText");
        Assert.Equal(["webserver"], matches.Select(m => (string)m.BaseObject));
    }

    [Fact]
    public void AnImageInUseIsNotRemovedWithoutForce()
    {
        _ps.Run("New-Container busybox -Name user true | Out-Null");
        var refused = _ps.Invoke("Remove-ContainerImage busybox");
        Assert.StartsWith("ImageInUse", refused.Errors.Single().FullyQualifiedErrorId);
        Assert.Single(_ps.Run("Get-ContainerImage"));
        _ps.Run("Remove-Container user; Remove-ContainerImage busybox");
        Assert.Empty(_ps.Run("Get-ContainerImage"));
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
            var result = _ps.Invoke(script);
            Assert.True(result.Failed, script);
            Assert.Contains(result.AllErrors.Single().CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.ObjectNotFound });
        }
        Assert.Empty(_ps.Run("Get-Container"));
        Assert.False(Directory.Exists(_store.Location.ContainersDirectory) && Directory.EnumerateFileSystemEntries(_store.Location.ContainersDirectory).Any());
    }
}
