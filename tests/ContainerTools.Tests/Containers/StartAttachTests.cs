using System.Diagnostics;
using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>Start-Container -Attach (docker start -a): the container's output and exit code, as a foreground run.</summary>
public sealed class StartAttachTests : BusyboxSessionTest
{
    [Fact]
    public void StdoutGoesToThePipelineStderrToErrorsAndTheExitCodeToLastExitCodeOnEveryStart()
    {
        Ps.Run("New-Container busybox -Name talk -- sh -c 'echo a; echo b >&2; exit 3' | Out-Null");
        // The second start shows only its own output, not the first run's again.
        for (int run = 0; run < 2; run++)
        {
            var result = Ps.Invoke("$global:LASTEXITCODE = 0; Start-Container talk -Attach");
            Assert.Equal(["a"], result.Output.Select(o => (string)o.BaseObject));
            var error = Assert.Single(result.Errors);
            Assert.Equal("b", error.Exception.Message);
            Assert.Equal("NativeCommandError", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(3, Ps.Run("$LASTEXITCODE").Single().BaseObject);
            Assert.Equal("Exited", Ps.Run("(Get-Container talk).Status").Single().BaseObject);
        }
    }

    [Fact]
    public void TheFirstLineOfAFastCommandIsNeverMissed()
    {
        for (int i = 0; i < 6; i++)
        {
            Ps.Run($"New-Container busybox -Name fast{i} -- echo hello{i} | Out-Null");
            Assert.Equal([$"hello{i}"], Ps.Run($"Start-Container fast{i} -Attach").Select(o => (string)o.BaseObject));
            Assert.Equal(0, Ps.Run("$LASTEXITCODE").Single().BaseObject);
        }
    }

    [Fact]
    public void ACommandThatCannotStartSetsLastExitCodeAsARunDoes()
    {
        foreach (var (command, code) in new[] { ("/no/such/program", 127), ("/etc/passwd", 126) })
        {
            Ps.Run($"New-Container busybox -Name broken{code} -- {command} | Out-Null");
            var result = Ps.Invoke($"$global:LASTEXITCODE = 0; Start-Container broken{code} -Attach");
            Assert.Empty(result.Output);
            Assert.StartsWith("ContainerStartFailed", result.AllErrors.Single().FullyQualifiedErrorId);
            Assert.Equal(code, Ps.Run("$LASTEXITCODE").Single().BaseObject);
        }
    }

    [Fact]
    public void ContainersFromThePipelineBindByIdAndOneIsAttached()
    {
        Ps.Run("New-Container busybox -Name piped -- sh -c 'echo via pipe; exit 9' | Out-Null");
        Assert.Equal(["via pipe"], Ps.Run("Get-Container piped | Start-Container -Attach").Select(o => (string)o.BaseObject));
        Assert.Equal(9, Ps.Run("$LASTEXITCODE").Single().BaseObject);
    }

    [Fact]
    public void MoreThanOneContainerIsRefusedAndNoneStarts()
    {
        Ps.Run("New-Container busybox -Name one -- echo 1 | Out-Null; New-Container busybox -Name two -- echo 2 | Out-Null");
        foreach (string script in new[] { "Start-Container one, two -Attach", "'one', 'two' | Start-Container -Attach", "Get-Container | Start-Container -Attach" })
        {
            var result = Ps.Invoke(script);
            Assert.Empty(result.Output);
            var error = Assert.Single(result.AllErrors);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.StartsWith("AttachMultiple", error.FullyQualifiedErrorId);
            Assert.Contains("you cannot start and attach multiple containers at once", error.Exception.Message);
        }
        Assert.Equal(["Created", "Created"], Ps.Run("Get-Container | ForEach-Object Status").Select(o => o.BaseObject.ToString()));
    }

    [Fact]
    public void PassThruIsRefusedBecauseThePipelineCarriesTheOutput()
    {
        Ps.Run("New-Container busybox -Name quiet -- echo no | Out-Null");
        var error = Assert.Single(Ps.Invoke("Start-Container quiet -Attach -PassThru").AllErrors);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.StartsWith("AttachWithPassThru", error.FullyQualifiedErrorId);
        Assert.Equal("Created", Ps.Run("(Get-Container quiet).Status").Single().BaseObject.ToString());
    }

    [Fact]
    public void ARunningContainerIsAttachedToFromNowOn()
    {
        Ps.Run("New-Container busybox -Name live -Start -- sh -c 'echo early; sleep 2; echo late; exit 4' | Out-Null");
        WaitForLog("live", "early");
        Assert.Equal(["late"], Ps.Run("Start-Container live -Attach").Select(o => (string)o.BaseObject));
        Assert.Equal(4, Ps.Run("$LASTEXITCODE").Single().BaseObject);
    }

    [Fact]
    public void ARunningAutoRemoveContainerIsReadToItsEndThenDeleted()
    {
        string id = (string)Ps.Run("(Invoke-ContainerImage busybox -Remove -Detach -Name gone -- sh -c 'echo early; sleep 2; echo late; exit 6').Id").Single().BaseObject;
        WaitForLog("gone", "early");
        Assert.Equal(["late"], Ps.Run("Start-Container gone -Attach").Select(o => (string)o.BaseObject));
        Assert.Equal(6, Ps.Run("$LASTEXITCODE").Single().BaseObject);
        Assert.Empty(Ps.Run($"Get-Container -Id {id}"));
        Assert.False(Directory.Exists(new Core.Containers.ContainerPaths(Store.Location, id).Directory), "its files remain");
    }

    [Fact]
    public void CtrlCStopsTheAttachedContainer()
    {
        Ps.Run($"New-Container busybox -Name ticker -- {Ticker} | Out-Null");
        Assert.Equal("Exited", InterruptOnTerminal("Start-Container ticker -Attach", ticks: 5));
    }

    /// <summary>Waits until the container has written <paramref name="line"/>: attaching later shows only what follows.</summary>
    private void WaitForLog(string container, string line)
    {
        var deadline = Stopwatch.StartNew();
        while (!Ps.Run($"Get-ContainerLog {container}").Any(o => (string)o.BaseObject == line))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), $"{container} never wrote {line}");
            Thread.Sleep(20);
        }
    }
}
