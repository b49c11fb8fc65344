using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>Get-ContainerLog and Invoke-ContainerImage (docker logs / docker run).</summary>
public sealed class LogAndRunTests : BusyboxSessionTest
{
    [Fact]
    public void LogsHoldStdoutAndStderrInOrderWithTailSinceAndTimestamps()
    {
        Ps.Run("New-Container busybox -Name talk -Start -- sh -c 'for i in 1 2 3; do echo out$i; sleep 0.05; echo err$i >&2; sleep 0.05; done' | Wait-Container | Out-Null");
        Assert.Equal(["out1", "err1", "out2", "err2", "out3", "err3"], Ps.Run("Get-ContainerLog talk").Select(o => (string)o.BaseObject));
        Assert.Equal(["out3", "err3"], Ps.Run("Get-ContainerLog talk -Tail 2").Select(o => (string)o.BaseObject));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z out1$", (string)Ps.Run("Get-ContainerLog talk -Timestamps").First().BaseObject);
        Assert.Empty(Ps.Run("Get-ContainerLog talk -Since ([DateTime]::UtcNow.AddMinutes(1))"));
    }

    [Fact]
    public void SinceTakesDockerDurationsBackFromNow()
    {
        Ps.Run("New-Container busybox -Name talk -Start -- sh -c 'echo one; echo two' | Wait-Container | Out-Null");
        // pwsh reads a bare 0s as the short 0: it was the year 1 and showed every line.
        Assert.Empty(Ps.Run("Get-ContainerLog talk -Since 0s"));
        foreach (string since in new[] { "1h", "'1m30s'", "90s", "([TimeSpan]::FromHours(1))" })
            Assert.Equal(["one", "two"], Ps.Run($"Get-ContainerLog talk -Since {since}").Select(o => (string)o.BaseObject));
        Assert.Equal(["two"], Ps.Run("Get-ContainerLog talk -Tail 1 -Since '2000-01-01'").Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void FollowStreamsUntilTheContainerExits()
    {
        Ps.Run("New-Container busybox -Name ticker -Start -- sh -c 'for i in 1 2 3; do echo tick$i; sleep 0.3; done' | Out-Null");
        Assert.Equal(["tick1", "tick2", "tick3"], Ps.Run("Get-ContainerLog ticker -Follow").Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void ForegroundRunWritesStdoutToThePipelineStderrToErrorsAndSetsLastExitCode()
    {
        var result = Ps.Invoke("Invoke-ContainerImage busybox -Name fg -- sh -c 'echo one; echo two; echo bad >&2; exit 5'");
        Assert.Equal(["one", "two"], result.Output.Select(o => (string)o.BaseObject));
        var error = Assert.Single(result.Errors);
        Assert.Equal("bad", error.Exception.Message);
        Assert.Equal(5, Ps.Run("$LASTEXITCODE").Single().BaseObject);
        Assert.Equal("Exited", Ps.Run("(Get-Container fg).Status").Single().BaseObject);
    }

    [Fact]
    public void RemoveDeletesTheContainerAfterItExitsAndDetachReturnsAtOnce()
    {
        Assert.Equal(["bye"], Ps.Run("Invoke-ContainerImage busybox -Remove echo bye").Select(o => (string)o.BaseObject));
        Assert.Empty(Ps.Run("Get-Container"));
        var detached = Ps.Run("Invoke-ContainerImage busybox -Detach -Name bg sleep 300").Single();
        Assert.Equal("Running", detached.Properties["Status"].Value);
        Assert.IsType<string>(detached.Properties["Id"].Value);
    }

    [Fact]
    public void RunTakesDockerStyleEnvironmentStrings()
    {
        // docker run -e A=1 -e B=x=y -e A=2: the last value of a name wins, a value may hold '='.
        Assert.Equal(["2 x=y"], Lines("Invoke-ContainerImage busybox -Remove -Environment 'A=1', 'B=x=y', 'A=2' -- sh -c 'echo $A $B'"));
        var bad = Ps.Invoke("Invoke-ContainerImage busybox -Remove -Environment '=value' true").AllErrors.Single();
        Assert.StartsWith("ParameterArgumentTransformationError", bad.FullyQualifiedErrorId);
        Assert.Contains("'=value' is not NAME=value", bad.Exception.Message);
        Assert.Empty(Ps.Run("Get-Container"));
    }

    [Fact]
    public void AnEmptyEntrypointClearsTheImagesAsDockerDoes()
    {
        // docker run --entrypoint "" IMAGE echo x: the command alone runs; -Entrypoint '' binds one empty string.
        Assert.Equal(["x"], Lines("Invoke-ContainerImage busybox -Remove -Entrypoint '' echo x"));
        Assert.Empty(Ps.Run("Get-Container"));
    }

    [Fact]
    public void AMissingWorkingDirectoryIsMadeAndAFileInItsPlaceIsAClearError()
    {
        Assert.Equal(["/srv/app"], Lines("Invoke-ContainerImage busybox -Remove -WorkingDirectory /srv/app pwd"));
        var error = Ps.Invoke("Invoke-ContainerImage busybox -Remove -WorkingDirectory /etc/passwd pwd").AllErrors.Single();
        Assert.StartsWith("ContainerStartFailed", error.FullyQualifiedErrorId);
        Assert.Contains("working directory /etc/passwd is not a directory", error.Exception.Message);
        Assert.Empty(Ps.Run("Get-Container"));
    }

    [Fact]
    public void ACommandThatCannotStartSetsLastExitCodeAsDockerRunExits()
    {
        foreach (var (command, code) in new[] { ("/no/such/program", 127), ("/etc/passwd", 126) })
        {
            var result = Ps.Invoke($"$global:LASTEXITCODE = 0; Invoke-ContainerImage busybox -Remove {command}");
            Assert.StartsWith("ContainerStartFailed", result.AllErrors.Single().FullyQualifiedErrorId);
            Assert.Equal(code, Ps.Run("$LASTEXITCODE").Single().BaseObject);
        }
        Assert.Empty(Ps.Run("Get-Container"));
    }

    private IEnumerable<string> Lines(string script) => Ps.Run(script).Select(o => (string)o.BaseObject);
}
