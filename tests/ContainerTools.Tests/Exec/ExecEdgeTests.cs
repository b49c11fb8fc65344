using System.Management.Automation;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Exec;

/// <summary>Invoke-ContainerCommand and Enter-Container given arguments that docker exec takes or refuses.</summary>
public sealed class ExecEdgeTests : BusyboxSessionTest
{
    public ExecEdgeTests()
    {
        Ps.Run("New-Container busybox -Name web -Network none -Start -- sleep 300 | Out-Null");
    }

    [Fact]
    public async Task CtrlCEndsAWaitForACommandHeldBeforeItStartsAndTheCommandNeverRuns()
    {
        // The helper joins the container's cgroup before it execs: frozen there (behind Suspend-Container's back, so
        // the cmdlet does not refuse), it waited, and Invoke-ContainerCommand with it, deaf to Ctrl+C.
        var cancel = TestContext.Current.CancellationToken;
        var group = ContainerResources.GroupOf((string)Ps.Run("(Get-Container web).Id").Single().BaseObject)!;
        group.Freeze();
        var exec = Ps.Prepare("Invoke-ContainerCommand web touch,/tmp/ran");
        try
        {
            var running = exec.BeginInvoke();
            await Task.Delay(TimeSpan.FromSeconds(1), cancel);
            Assert.False(running.IsCompleted, "the command started in a frozen container");
            await Task.Factory.FromAsync(exec.BeginStop(null, null), exec.EndStop).WaitAsync(TimeSpan.FromSeconds(20), cancel);
            Assert.Equal(PSInvocationState.Stopped, exec.InvocationStateInfo.State);
        }
        finally
        {
            // Thawed first: disposing stops the pipeline, and a wait Ctrl+C cannot end would hold the test for ever.
            group.Thaw();
            exec.Dispose();
        }
        // Killed while frozen, the helper dies as it thaws, before its command.
        Assert.Equal("absent", ExecIn("web", "sleep 0.5; test -e /tmp/ran && echo present || echo absent"));
        Assert.Single(Ps.Run("Get-ContainerProcess web"));
    }

    [Fact]
    public void AnEmptyArgumentIsPassedOnAndOnlyAnEmptyCommandIsRefused()
    {
        // docker exec web printf '%s|' '' x: the parameter binder refused the whole command for its empty argument.
        Assert.Equal(new object[] { "|x|" }, Ps.Run("Invoke-ContainerCommand web printf,'%s|','',x").Select(o => o.BaseObject));

        foreach (var command in new[] { "Invoke-ContainerCommand web ''", "Invoke-ContainerCommand web '',x", "Enter-Container web -Command ''" })
        {
            var error = Assert.Single(Ps.Invoke(command).AllErrors);
            Assert.StartsWith("NoCommand,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        }
        // Enter-Container takes the empty argument as well, and fails only for want of a terminal here.
        Assert.StartsWith("NoTerminal,", Assert.Single(Ps.Invoke("Enter-Container web -Command printf,'',x").AllErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task AFifoInPlaceOfEtcPasswdBlocksNeitherExecNorGetContainerProcess()
    {
        // Both opened /etc/passwd and waited for a writer for ever; Get-ContainerProcess in the user's own
        // session, beyond Ctrl+C's reach. Each gets 20 s here, then a TimeoutException fails the test.
        var cancel = TestContext.Current.CancellationToken;
        ExecIn("web", "rm /etc/passwd /etc/group && mkfifo /etc/passwd /etc/group");
        int init = (int)Ps.Run("(Get-Container web).Pid").Single().BaseObject;
        try
        {
            var users = await Task.Run(() => Ps.Run("Get-ContainerProcess web").Select(p => (string)p.Properties["User"].Value).ToList(), cancel)
                .WaitAsync(TimeSpan.FromSeconds(20), cancel);
            Assert.Equal(["0"], users);

            var lines = await Task.Run(() => Ps.Run("Invoke-ContainerCommand web -User 1000:1000 sh,-c,'echo $(grep ^Uid: /proc/self/status | cut -f2) $HOME'; Invoke-ContainerCommand web echo,ran").Select(o => o.BaseObject).ToList(), cancel)
                .WaitAsync(TimeSpan.FromSeconds(20), cancel);
            // (the command itself must not look a name up: id would wait on the FIFO as it does under docker)
        Assert.Equal(["1000 /", "ran"], lines);
        }
        finally
        {
            // A reader still blocked gets end of file once a writer comes and goes, so the session can end.
            foreach (string fifo in new[] { "passwd", "group" })
            {
                int writer = Linux.openat(Linux.AT_FDCWD, $"/proc/{init}/root/etc/{fifo}", Linux.O_WRONLY | Linux.O_NONBLOCK | Linux.O_CLOEXEC, 0);
                if (writer >= 0)
                    Linux.close(writer);
            }
        }
        // A name has nothing to be found in, as with no /etc/passwd at all.
        Assert.Contains("no user 'nobody'", Assert.Single(Ps.Invoke("Invoke-ContainerCommand web -User nobody true").Errors).Exception.Message);
    }

    [Theory]
    [InlineData("1000:nogroup", "uid=1000 gid=65534(nogroup) groups=65534(nogroup)")]
    [InlineData("0:nogroup", "uid=0(root) gid=65534(nogroup) groups=65534(nogroup)")]
    [InlineData("nobody:100", "uid=65534(nobody) gid=100 groups=100")]
    public void ANumericUserWithAGroupNameNeedsNoPasswdEntry(string user, string id)
    {
        // docker exec -u 1000:nogroup: the number was looked up as a user name, "no user '1000'", exit 125.
        Assert.Equal(new object[] { id, 0 }, Ps.Run($"Invoke-ContainerCommand web -User {user} id; $LASTEXITCODE").Select(o => o.BaseObject));
    }

    [Theory]
    [InlineData("sh,-c,'touch /tmp/ran',\"a`0b\"", "InvalidCommandArgument", "a\0b")]
    [InlineData("-Environment @{ \"A`0B\" = 'x' } sh,-c,'touch /tmp/ran'", "InvalidEnvironmentName", "A\0B")]
    [InlineData("-Environment @{ GREETING = \"x`0y\" } sh,-c,'touch /tmp/ran'", "InvalidEnvironmentValue", "GREETING")]
    public void ANulInAnArgumentOrTheEnvironmentIsRefusedAndNothingRuns(string parameters, string errorId, string target)
    {
        // execve ends each string at its first NUL: the command ran with "a" and GREETING=x, silently cut.
        var error = Assert.Single(Ps.Invoke($"Invoke-ContainerCommand web {parameters}").AllErrors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
        Assert.Equal("absent", ExecIn("web", "test -e /tmp/ran && echo present || echo absent"));
    }
}
