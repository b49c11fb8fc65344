using ContainerTools.Core.Native;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Exec;

/// <summary>Invoke-ContainerImage -Interactive (docker run -it): the container's PID 1 on a terminal tmux gives a real pwsh.</summary>
public sealed class InteractiveRunTests : BusyboxSessionTest
{
    [Fact]
    public void PidOneGetsATerminalThatFollowsTheWindowAndPassesCtrlCAndItsExitCodeComesBack()
    {
        using var terminal = Tmux.PwshOn(Store);
        terminal.WaitFor(@"^PS .*>\s*$");
        terminal.TypeLine("Invoke-ContainerImage busybox -Interactive -Remove -Name shell -- sh");
        terminal.WaitFor(@"^/ #\s*$");
        terminal.TypeLine("tty; stty size; echo pid=$$");
        terminal.WaitFor(@"^/dev/pts/\d+\n30 100\npid=1$");
        terminal.ResizeUnderShell(120, 40);
        terminal.InterruptAJobThenExitTheShell(3);
        terminal.TypeLine("\"code=$LASTEXITCODE containers=$(@(Get-Container).Count)\"");
        terminal.WaitFor(@"^code=3 containers=0$");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Store.Location.RunRoot, "console-*"));
    }

    [Fact]
    public void AContainerKeptAfterItsRunStartsAgainWithoutATerminalAndLogsItsOutput()
    {
        using (var terminal = Tmux.PwshOn(Store))
        {
            terminal.WaitFor(@"^PS .*>\s*$");
            terminal.TypeLine("Invoke-ContainerImage busybox -Interactive -Name once -- sh -c 'tty; exit 5'; \"code=$LASTEXITCODE\"");
            terminal.WaitFor(@"^/dev/pts/\d+\s*\n(.*\n)*code=5$");
        }
        Assert.Equal("Exited 5", Ps.Run("$c = Get-Container once; \"$($c.Status) $($c.ExitCode)\"").Single().ToString());
        // With nobody listening on its console socket, it runs as a container without a terminal.
        Ps.Run("Start-Container once; Wait-Container once | Out-Null");
        Assert.Equal("not a tty", string.Join("\n", Ps.Run("Get-ContainerLog once").Select(o => o.ToString())));
    }

    [Fact]
    public void RefusesWithoutATerminalOrWithDetachAndCreatesNothing()
    {
        Assert.SkipWhen(Linux.isatty(0) == 1 && Linux.isatty(1) == 1, "the test runner itself is on a terminal, which the container would take over");
        var noTerminal = Assert.Single(Ps.Invoke("Invoke-ContainerImage busybox -Interactive -- sh").Errors);
        Assert.StartsWith("NoTerminal,", noTerminal.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidOperation, noTerminal.CategoryInfo.Category);
        var detached = Assert.Single(Ps.Invoke("Invoke-ContainerImage busybox -Interactive -Detach -- sh").Errors);
        Assert.StartsWith("DetachedTerminal,", detached.FullyQualifiedErrorId);
        Assert.Empty(Ps.Run("Get-Container"));
    }
}
