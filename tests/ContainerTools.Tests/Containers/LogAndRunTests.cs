using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>Get-ContainerLog and Invoke-ContainerImage (docker logs / docker run).</summary>
public sealed class LogAndRunTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;

    public LogAndRunTests()
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
    public void LogsHoldStdoutAndStderrInOrderWithTailSinceAndTimestamps()
    {
        _ps.Run("New-Container busybox -Name talk -Start -- sh -c 'for i in 1 2 3; do echo out$i; sleep 0.05; echo err$i >&2; sleep 0.05; done' | Wait-Container | Out-Null");
        Assert.Equal(["out1", "err1", "out2", "err2", "out3", "err3"], _ps.Run("Get-ContainerLog talk").Select(o => (string)o.BaseObject));
        Assert.Equal(["out3", "err3"], _ps.Run("Get-ContainerLog talk -Tail 2").Select(o => (string)o.BaseObject));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z out1$", (string)_ps.Run("Get-ContainerLog talk -Timestamps").First().BaseObject);
        Assert.Empty(_ps.Run("Get-ContainerLog talk -Since ([DateTime]::UtcNow.AddMinutes(1))"));
    }

    [Fact]
    public void FollowStreamsUntilTheContainerExits()
    {
        _ps.Run("New-Container busybox -Name ticker -Start -- sh -c 'for i in 1 2 3; do echo tick$i; sleep 0.3; done' | Out-Null");
        Assert.Equal(["tick1", "tick2", "tick3"], _ps.Run("Get-ContainerLog ticker -Follow").Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void ForegroundRunWritesStdoutToThePipelineStderrToErrorsAndSetsLastExitCode()
    {
        var result = _ps.Invoke("Invoke-ContainerImage busybox -Name fg -- sh -c 'echo one; echo two; echo bad >&2; exit 5'");
        Assert.Equal(["one", "two"], result.Output.Select(o => (string)o.BaseObject));
        var error = Assert.Single(result.Errors);
        Assert.Equal("bad", error.Exception.Message);
        Assert.Equal(5, _ps.Run("$LASTEXITCODE").Single().BaseObject);
        Assert.Equal("Exited", _ps.Run("(Get-Container fg).Status").Single().BaseObject);
    }

    [Fact]
    public void RemoveDeletesTheContainerAfterItExitsAndDetachReturnsAtOnce()
    {
        Assert.Equal(["bye"], _ps.Run("Invoke-ContainerImage busybox -Remove echo bye").Select(o => (string)o.BaseObject));
        Assert.Empty(_ps.Run("Get-Container"));
        var detached = _ps.Run("Invoke-ContainerImage busybox -Detach -Name bg sleep 300").Single();
        Assert.Equal("Running", detached.Properties["Status"].Value);
        Assert.IsType<string>(detached.Properties["Id"].Value);
    }
}
