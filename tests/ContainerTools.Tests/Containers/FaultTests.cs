using System.Diagnostics;
using ContainerTools.Core;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>kill -9 of the monitor, of the container's PID 1 and of pwsh mid-operation: the store tells the truth and nothing leaks.</summary>
public sealed class FaultTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly ContainerRunner _run;
    private readonly PowerShellSession _ps;

    public FaultTests()
    {
        _run = new ContainerRunner(_store);
        _ps = new PowerShellSession(_store);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _store.Dispose();
    }

    [Fact]
    public void KilledMonitorIsReportedExitedAndRemoveLeavesNothing()
    {
        var container = _run.Start("sleep", "300");
        int monitor = container.State.Monitor!.Pid, init = container.State.Init!.Pid;
        Process.GetProcessById(monitor).Kill();
        Assert.True(WaitUntilGone(init), $"the init {init} outlived its killed monitor");
        var info = _ps.Run($"Get-Container -Id {container.Id}").Single();
        Assert.Equal("Exited", info.Properties["Status"].Value);
        Assert.Null(info.Properties["ExitCode"].Value);
        _ps.Run($"Remove-Container -Id {container.Id}");
        AssertNothingLeft(container.Id);
    }

    [Fact]
    public void KilledInitIsExited137AndRemoveLeavesNothing()
    {
        var container = _run.Start("sleep", "300");
        Process.GetProcessById(container.State.Init!.Pid).Kill();
        var info = _ps.Run($"Wait-Container -Id {container.Id}").Single();
        Assert.Equal(137, info.Properties["ExitCode"].Value);
        _ps.Run($"Remove-Container -Id {container.Id}");
        AssertNothingLeft(container.Id);
    }

    [Fact]
    public void RemoveAfterAFailedStartReturnsOnceItsRecordedMonitorIsGone()
    {
        var container = _run.Create(new ContainerOptions { Command = ["/no/such/command"] });
        Assert.Throws<EngineException>(() => _run.Lifecycle.Start(container.Id));
        var monitor = _run.Containers.ReadState(container.Id)?.Monitor;
        Assert.NotNull(monitor);
        _run.Lifecycle.Remove(container.Id, force: false);
        Assert.False(monitor.IsAlive, $"the monitor {monitor.Pid} outlived the Remove of its container");
        AssertNothingLeft(container.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"Status\":\"Runn")]
    public void StateLostToAPowerLossReadsExitedAndRemoveLeavesNothing(string leftByThePowerLoss)
    {
        // state.json is renamed into place but never synced: a power loss may leave it empty or cut short.
        var container = _run.Start("true");
        _run.Lifecycle.Wait(container.Id, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        File.WriteAllText(_run.Containers.Paths(container.Id).State, leftByThePowerLoss);
        var info = _ps.Run($"Get-Container -Id {container.Id}").Single();
        Assert.Equal("Exited", info.Properties["Status"].Value);
        Assert.Null(info.Properties["ExitCode"].Value);
        _ps.Run($"Remove-Container -Id {container.Id}");
        AssertNothingLeft(container.Id);
    }

    [Fact]
    public void ACreationKilledWhileItWroteTheRecordIsTidiedByTheNextListing()
    {
        // What a kill -9 of New-Container leaves when it lands between creating the staged record and writing it.
        // Before, every listing (Get-Container) failed on that empty record until someone deleted it by hand.
        string staged = Path.Combine(_store.Location.ContainersDirectory, ".removing-" + new string('c', 64));
        Directory.CreateDirectory(Path.Combine(staged, "upper"));
        File.WriteAllText(Path.Combine(staged, "container.json"), "");
        _run.Start("true");
        Assert.Single(_ps.Run("Get-Container"));
        Assert.False(Directory.Exists(staged));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(150)]
    [InlineData(400)]
    public void PwshKilledDuringStartStopOrRemoveLeavesAStoreThatTellsTheTruth(int killAfterMs)
    {
        _run.Image(); // the rootfs the script's containers use is made before the clock starts
        BusyboxImage.Import(_ps);
        using (var pwsh = Pwsh.Start(_store, """
            while ($true) {
                $c = New-Container busybox -Start sleep 300
                Stop-Container -Id $c.Id -Timeout 0
                Remove-Container -Id $c.Id
                [Console]::Out.WriteLine('looping')
            }
            """))
        {
            // Once the loop turns, every moment is inside a Start, Stop or Remove: the delays just vary which.
            Assert.Equal("looping", pwsh.StandardOutput.ReadLine());
            Thread.Sleep(killAfterMs);
            pwsh.Kill();
            pwsh.WaitForExit();
        }
        var store = new ContainerStore(_store.Location);
        var all = store.List();
        foreach (var container in all)
        {
            if (container.IsRunning && !container.State.Init!.IsAlive)
            {
                // Killed mid-Stop: PID 1 is gone and its live monitor is recording the end (logs, networks,
                // cgroup). It stays Running only until then: it must become Exited with its exit code.
                var recorded = RecordedEnd(store, container.Id);
                Assert.True(recorded is { IsRunning: false, State.ExitCode: not null },
                    $"{container.Name} is reported {recorded?.Status} after its PID 1 died");
            }
            else if (!container.IsRunning)
                Assert.False(container.State.Init is { IsAlive: true }, $"{container.Name} is reported {container.Status} but its PID 1 lives");
        }
        _ps.Run("Get-Container | Remove-Container -Force");
        foreach (var container in all)
            AssertNothingLeft(container.Id);
        Assert.Empty(new ContainerStore(_store.Location).List());
        Assert.Empty(Directory.EnumerateDirectories(_store.Location.ContainersDirectory, ".removing-*"));
    }

    private void AssertNothingLeft(string id) => ContainerTraces.AssertNothingLeft(_store, id);

    /// <summary>The container as recorded once its monitor has finished (at most 10 s), or as it is then.</summary>
    private static ContainerSnapshot? RecordedEnd(ContainerStore store, string id)
    {
        for (int i = 0; i < 200 && store.Read(id) is { IsRunning: true }; i++)
            Thread.Sleep(50);
        return store.Read(id);
    }

    /// <summary>True once the process has ended (a zombie the host's init has not reaped yet counts as ended).</summary>
    private static bool WaitUntilGone(int pid) => SpinWait.SpinUntil(() =>
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true;
        }
    }, TimeSpan.FromSeconds(10));
}
