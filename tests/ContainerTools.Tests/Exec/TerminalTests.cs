using ContainerTools.Core.Native;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Exec;

/// <summary>Enter-Container and Invoke-ContainerCommand -Interactive in a real pwsh on a terminal tmux gives it.</summary>
public sealed class TerminalTests : BusyboxSessionTest
{
    public TerminalTests()
    {
        Ps.Run("New-Container busybox -Name web -Start -- sleep 300 | Out-Null");
    }

    [Fact]
    public void AShellGetsATerminalOfTheContainerThatFollowsTheWindowAndPassesCtrlC()
    {
        using var terminal = Tmux.PwshOn(Store);
        terminal.WaitFor(@"^PS .*>\s*$");
        terminal.TypeLine("Enter-Container web");
        terminal.WaitFor(@"^/ #\s*$");
        terminal.TypeLine("tty; stty size");
        terminal.WaitFor(@"^/dev/pts/\d+\n30 100$");
        terminal.ResizeUnderShell(120, 40);
        terminal.InterruptAJobThenExitTheShell(3);
        terminal.TypeLine("\"code=$LASTEXITCODE\"");
        terminal.WaitFor(@"^code=3$");
    }

    [Fact]
    public void InvokeContainerCommandInteractiveRunsOnTheContainersTerminalAndReturnsItsExitCode()
    {
        using var terminal = Tmux.PwshOn(Store);
        terminal.WaitFor(@"^PS .*>\s*$");
        terminal.TypeLine("Invoke-ContainerCommand web -Interactive -User 1000 sh,-c,'tty; id -u; exit 4'; \"code=$LASTEXITCODE\"");
        terminal.WaitFor(@"^/dev/pts/\d+\s*\n1000\s*\n(.*\n)*code=4$");
        // The console is back in cooked mode: pwsh echoes and runs what is typed.
        terminal.TypeLine("'back-' + (6*7)");
        terminal.WaitFor(@"^back-42$");
    }

    [Fact]
    public void FollowingALogStreamsLiveUntilCtrlCAndLeavesTheContainerRunning()
    {
        Ps.Run($"New-Container busybox -Name ticker -Start -- {Ticker} | Out-Null");
        Assert.Equal("Running", InterruptOnTerminal("Get-ContainerLog ticker -Follow", ticks: 15));
    }

    [Fact]
    public void RefusesWithoutATerminalAndChangesNothing()
    {
        Assert.SkipWhen(Linux.isatty(0) == 1 && Linux.isatty(1) == 1, "the test runner itself is on a terminal, which the shell would take over");
        string before = string.Join(",", Ps.Run("(Get-ContainerProcess web).Command"));
        var result = Ps.Invoke("Enter-Container web");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("NoTerminal,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Equal("web", error.TargetObject);
        Assert.Equal(before, string.Join(",", Ps.Run("(Get-ContainerProcess web).Command")));
    }

    [Fact]
    public void RefusesAContainerThatIsNotRunningOrDoesNotExist()
    {
        Ps.Run("New-Container busybox -Name idle -- true | Out-Null");
        var notRunning = Assert.Single(Ps.Invoke("Enter-Container idle").Errors);
        Assert.StartsWith("ContainerNotRunning,", notRunning.FullyQualifiedErrorId);
        Assert.Equal("idle", notRunning.TargetObject);
        var missing = Assert.Single(Ps.Invoke("Enter-Container nosuch").Errors);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
        Assert.Equal("Created", Ps.Run("(Get-Container idle).Status").Single().ToString());
    }
}
