using System.Diagnostics;
using System.Management.Automation;
using ContainerTools.Core;
using ContainerTools.Core.Containers;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>-Restart, as docker run --restart: the monitor starts the container again when its command ends, until a stop or removal.</summary>
public sealed class RestartPolicyTests : BusyboxSessionTest
{
    [Fact]
    public void OnFailureRestartsUpToItsLimitAndWaitReturnsTheLastEnd()
    {
        // There was no -Restart: a failing service stayed down.
        Ps.Run("New-Container busybox -Name flaky -Network none -Restart on-failure:2 -Start -- sh -c 'echo run; exit 3'");
        var ended = Ps.Run("Wait-Container flaky").Single();
        Assert.Equal(3, ended.Properties["ExitCode"].Value);
        Assert.Equal(2, ended.Properties["RestartCount"].Value);
        Assert.Equal(false, ended.Properties["Restarting"].Value);
        Assert.Equal("on-failure:2", ended.Properties["RestartPolicy"].Value);
        Assert.Equal(["run", "run", "run"], Log("flaky"));
        // A success is no failure: nothing starts again.
        Ps.Run("New-Container busybox -Name fine -Network none -Restart on-failure -Start -- sh -c 'echo run; exit 0'");
        Assert.Equal(0, Ps.Run("Wait-Container fine").Single().Properties["RestartCount"].Value);
        Assert.Equal(["run"], Log("fine"));
    }

    [Fact]
    public void AForegroundRunFollowsItsRestartsToTheLastEnd()
    {
        var output = Ps.Run("Invoke-ContainerImage busybox -Name fg -Network none -Restart on-failure:2 -- sh -c 'echo run; exit 4'");
        Assert.Equal(["run", "run", "run"], output.Select(o => o.ToString()));
        Assert.Equal(4, Ps.Run("$LASTEXITCODE").Single().BaseObject);
        Assert.Equal(2, RestartCount("fg"));
    }

    [Fact]
    public void AlwaysRestartsUntilStoppedAndAStartCountsAgain()
    {
        // Each run outlives the monitor's hand-over to its watcher (250 ms), so the watcher restarts it too.
        Ps.Run("New-Container busybox -Name service -Network none -Restart always -Start -- sh -c 'echo up; sleep 0.4'");
        Assert.True(SpinWait.SpinUntil(() => RestartCount("service") >= 2, TimeSpan.FromSeconds(20)), "the container was not restarted twice");
        var watch = Stopwatch.StartNew();
        var stopped = Ps.Run("Stop-Container service -PassThru").Single();
        Assert.InRange(watch.Elapsed.TotalSeconds, 0, 5);
        Assert.Equal("Exited", stopped.Properties["Status"].Value);
        int count = (int)stopped.Properties["RestartCount"].Value;
        Thread.Sleep(1500);
        var later = Ps.Run("Get-Container service").Single();
        Assert.Equal("Exited", later.Properties["Status"].Value);
        Assert.Equal(count, later.Properties["RestartCount"].Value);
        var started = Ps.Run("Start-Container service -PassThru").Single();
        Assert.Equal(0, started.Properties["RestartCount"].Value);
        Assert.True(SpinWait.SpinUntil(() => RestartCount("service") >= 1, TimeSpan.FromSeconds(20)), "a started container's policy did not restart it");
        Ps.Run("Remove-Container service -Force");
    }

    [Fact]
    public void ARemovalOrAKilledMonitorInTheBackoffEndsTheRestartsAndLeavesNothing()
    {
        // Quick failures double the back-off: by the fourth restart it waits 0.8 s, long enough to act within.
        Ps.Run("New-Container busybox -Name looping -Network none -Restart always -Start -- true");
        Assert.True(SpinWait.SpinUntil(() => RestartCount("looping") >= 4 && Restarting("looping"), TimeSpan.FromSeconds(20)), "no back-off to act in");
        string id = (string)Ps.Run("(Get-Container looping).Id").Single().BaseObject;
        Ps.Run("Remove-Container looping");
        Assert.Empty(Ps.Run("Get-Container"));
        ContainerTraces.AssertNothingLeft(Store, id);

        Ps.Run("New-Container busybox -Name orphan -Network none -Restart always -Start -- true");
        Assert.True(SpinWait.SpinUntil(() => RestartCount("orphan") >= 4 && Restarting("orphan"), TimeSpan.FromSeconds(20)), "no back-off to act in");
        id = (string)Ps.Run("(Get-Container orphan).Id").Single().BaseObject;
        int monitor = new ContainerStore(Store.Location).ReadState(id)!.Monitor!.Pid;
        Process.GetProcessById(monitor).Kill();
        // Its restart never comes, and the store says so.
        Assert.True(SpinWait.SpinUntil(() => !Restarting("orphan"), TimeSpan.FromSeconds(5)));
        Thread.Sleep(1000);
        Assert.Equal("Exited", Ps.Run("(Get-Container orphan).Status").Single().BaseObject);
        Assert.False(Restarting("orphan"));
        Ps.Run("Remove-Container orphan");
        ContainerTraces.AssertNothingLeft(Store, id);
    }

    [Theory]
    [InlineData("New-Container busybox -Network none -Restart sometimes -- true", "InvalidRestartPolicy", "sometimes")]
    [InlineData("New-Container busybox -Network none -Restart on-failure:0 -- true", "InvalidRestartPolicy", "on-failure:0")]
    [InlineData("New-Container busybox -Network none -Restart on-failure:x -- true", "InvalidRestartPolicy", "on-failure:x")]
    [InlineData("Invoke-ContainerImage busybox -Network none -Remove -Restart always -- true", "RestartWithAutoRemove", "always")]
    public void ABadPolicyIsAnErrorRecordAndNoContainerIsMade(string command, string errorId, string target)
    {
        var error = Ps.Invoke(command).AllErrors.Single();
        Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
        Assert.Empty(Ps.Run("Get-Container"));
    }

    [Fact]
    public void AContainerOnATerminalCannotBeRestarted()
    {
        // Its terminal goes to the session that starts it: a restart would fail to hand it over, and stop there.
        var error = Assert.Throws<EngineException>(() => RestartPolicy.Parse("on-failure:1").CheckWith(autoRemove: false, terminal: true));
        Assert.Equal(("RestartWithTerminal", ErrorKind.InvalidArgument, "on-failure:1"), (error.ErrorId, error.Kind, error.Target));
        RestartPolicy.None.CheckWith(autoRemove: true, terminal: true);
    }

    private List<string> Log(string container) => Ps.Run($"Get-ContainerLog {container}").Select(l => l.ToString()).ToList();

    private int RestartCount(string container) => (int)Ps.Run($"(Get-Container {container}).RestartCount").Single().BaseObject;

    private bool Restarting(string container) => (bool)Ps.Run($"(Get-Container {container}).Restarting").Single().BaseObject;
}
