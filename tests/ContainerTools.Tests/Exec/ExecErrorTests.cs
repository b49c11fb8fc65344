using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Exec;

/// <summary>
/// An exec that fails before its command runs (unknown user, bad working directory, command not found or not
/// executable) is an ErrorRecord with its category and the container as target, with $LASTEXITCODE as docker
/// exec sets it. It came back as the command's stderr text (a NativeCommandError of category NotSpecified),
/// with 125 for a user or directory.
/// </summary>
public sealed class ExecErrorTests : BusyboxSessionTest
{
    public ExecErrorTests()
    {
        Ps.Run("New-Container busybox -Name web -Network none -Start -- sleep 300 | Out-Null");
    }

    [Theory]
    [InlineData("-User nosuchuser true", "UserNotFound", ErrorCategory.ObjectNotFound, 126, "nosuchuser")]
    [InlineData("-User root:nosuchgroup true", "GroupNotFound", ErrorCategory.ObjectNotFound, 126, "nosuchgroup")]
    [InlineData("-WorkingDirectory /no/such/dir true", "WorkingDirectoryNotFound", ErrorCategory.ObjectNotFound, 127, "/no/such/dir")]
    [InlineData("-WorkingDirectory /etc/passwd true", "WorkingDirectoryNotADirectory", ErrorCategory.InvalidArgument, 126, "/etc/passwd")]
    [InlineData("no-such-command", "CommandNotFound", ErrorCategory.ObjectNotFound, 127, "no-such-command")]
    [InlineData("/etc/passwd", "CommandNotExecutable", ErrorCategory.PermissionDenied, 126, "/etc/passwd")]
    public void AFailureBeforeTheCommandRunsIsAnErrorRecordAndSetsLastExitCode(string parameters, string errorId, ErrorCategory category, int exitCode, string named)
    {
        var result = Ps.Invoke($"Invoke-ContainerCommand web {parameters}; $LASTEXITCODE; 'went-on'");
        // Non-terminating: the script went on.
        Assert.Equal(new object[] { exitCode, "went-on" }, result.Output.Select(o => o.BaseObject));
        var error = Assert.Single(result.Errors);
        Assert.Equal($"{errorId},ContainerTools.Cmdlets.InvokeContainerCommandCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal("web", error.TargetObject);
        Assert.Contains(named, error.Exception.Message);
        Assert.Contains("web", error.Exception.Message);
        AssertOnlyTheInitRuns();
    }

    [Fact]
    public async Task AnExecRightAfterAStartIsNotHeldOpenByTheSpareMonitorStartedMeanwhile()
    {
        // Each start prepares the session's next spare monitor on a pool thread. An exec begun meanwhile made its
        // failure-report pipe inheritable for its helper; the spare inherited it too and held it for its life, so the
        // exec never learnt that its command had started (the Pester suite hung on it).
        using var pwsh = Pwsh.Start(Store, """
            foreach ($i in 1..20) {
                $c = New-Container busybox -Network none -Start -- sleep 300
                Invoke-ContainerCommand $c.Id true
                Remove-Container $c.Id -Force
            }
            'done'
            """);
        pwsh.StandardInput.Close();
        var stdout = pwsh.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        bool ended = pwsh.WaitForExit(TimeSpan.FromSeconds(60));
        if (!ended)
            pwsh.Kill(entireProcessTree: true);
        Assert.True(ended, "an exec right after a start never ended");
        Assert.Equal("done", (await stdout).Trim());
    }

    [Fact]
    public void DetachedOrFedFromThePipelineTheFailureIsTheSameErrorRecord()
    {
        var detached = Ps.Invoke("Invoke-ContainerCommand web -Detach -User nosuchuser sleep,100; $LASTEXITCODE");
        Assert.Equal(new object[] { 126 }, detached.Output.Select(o => o.BaseObject));
        var error = Assert.Single(detached.Errors);
        Assert.StartsWith("UserNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);

        var fed = Ps.Invoke("'a', 'b' | Invoke-ContainerCommand web -WorkingDirectory /no/such/dir cat; $LASTEXITCODE; 'went-on'");
        Assert.Equal(new object[] { 127, "went-on" }, fed.Output.Select(o => o.BaseObject));
        Assert.StartsWith("WorkingDirectoryNotFound,", Assert.Single(fed.Errors).FullyQualifiedErrorId);
        AssertOnlyTheInitRuns();
    }

    [Fact]
    public void InAContainerWithItsOwnUserNamespaceTheFailureComesFromInsideIt()
    {
        // There a second helper, inside the user namespace, starts the command and reports for the first.
        string ids = Store.Scratch("subid");
        File.WriteAllText(Path.Combine(ids, "subid"), "containers:400000:65536\n");
        File.WriteAllText(Path.Combine(Store.Location.Root, Core.Isolation.UserNamespaces.UserNamespaceSettings.FileName),
            $$"""{ "owner": "containers", "subuidFile": "{{ids}}/subid", "subgidFile": "{{ids}}/subid" }""");
        Ps.Run("New-Container busybox -Name isolated -UserNamespace Auto -Network none -Start -- sleep 300 | Out-Null");
        var result = Ps.Invoke("Invoke-ContainerCommand isolated -User nosuchuser true; $LASTEXITCODE; Invoke-ContainerCommand isolated no-such-command; $LASTEXITCODE; Invoke-ContainerCommand isolated id,-u");
        Assert.Equal(new object[] { 126, 127, "0" }, result.Output.Select(o => o.BaseObject));
        Assert.Equal(["UserNotFound", "CommandNotFound"], result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.All(result.Errors, e => Assert.Equal("isolated", e.TargetObject));
        Assert.Equal(["sleep 300"], Ps.Run("(Get-ContainerProcess isolated).Command").Select(o => o.ToString()));
    }

    [Fact]
    public void WhatTheCommandItselfWritesAndReturnsIsUnchanged()
    {
        // A command that ran and failed as "not found" is still its own stderr and exit code, not a setup failure.
        var result = Ps.Invoke("Invoke-ContainerCommand web sh,-c,'echo nope >&2; exit 127'; $LASTEXITCODE; Invoke-ContainerCommand web -User nosuchuser true");
        Assert.Equal(new object[] { 127 }, result.Output.Select(o => o.BaseObject));
        Assert.Equal(2, result.Errors.Count);
        Assert.Equal(("NativeCommandError", "nope"), (result.Errors[0].FullyQualifiedErrorId.Split(',')[0], result.Errors[0].Exception.Message));
        Assert.IsType<RemoteException>(result.Errors[0].Exception);
        Assert.StartsWith("UserNotFound,", result.Errors[1].FullyQualifiedErrorId);
    }

    [Fact]
    public void InteractiveTheFailureIsAnErrorRecordNotTextOnTheTerminal()
    {
        using var terminal = Tmux.PwshOn(Store);
        terminal.WaitFor(@"^PS .*>\s*$");
        // What the last error was, short enough for one line of the terminal.
        terminal.TypeLine("function last { \"$LASTEXITCODE $($Error[0].FullyQualifiedErrorId -replace ',.*') $($Error[0].CategoryInfo.Category)\" }");
        terminal.TypeLine("Invoke-ContainerCommand web -Interactive no-such-command; last");
        terminal.WaitFor(@"^127 CommandNotFound ObjectNotFound$");
        terminal.TypeLine("Enter-Container web -User nosuchuser; last");
        terminal.WaitFor(@"^126 UserNotFound ObjectNotFound$");
        AssertOnlyTheInitRuns();
    }

    /// <summary>No helper or half-started command is left in the container.</summary>
    private void AssertOnlyTheInitRuns() =>
        Assert.Equal(["sleep 300"], Ps.Run("(Get-ContainerProcess web).Command").Select(o => o.ToString()));
}
