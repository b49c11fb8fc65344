using System.Diagnostics;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>Invoke-ContainerImage -Remove (docker run --rm): deleted once exited, whoever is there to see it.</summary>
public sealed class AutoRemoveTests : BusyboxSessionTest
{
    [Fact]
    public void ADetachedRunIsDeletedByItsMonitorWhenItExits()
    {
        var container = Ps.Run("Invoke-ContainerImage busybox -Remove -Detach -Name quick -- sh -c 'sleep 0.3'").Single();
        Assert.Equal(true, container.Properties["AutoRemove"].Value);
        AssertDeleted((string)container.Properties["Id"].Value);
    }

    [Fact]
    public void ADetachedRunThatEndsBeforeItsStartReturnsIsDeletedToo()
    {
        // `true` often exits while the start still holds the container's lock, which its monitor then cannot take;
        // most often on a start without a spare monitor, as every start is when the session switches stores.
        string other = Store.Scratch("other");
        Ps.Run($"$ContainerToolsRoot = '{other}/root'; $ContainerToolsRunRoot = '{other}/run'; Import-ContainerImage -Path '{BusyboxImage.Tarball}' -Name busybox:latest | Out-Null");
        string[] roots = [$"'{Store.Location.Root}', '{Store.Location.RunRoot}'", $"'{other}/root', '{other}/run'"];
        for (int i = 0; i < 12; i++)
        {
            Ps.Run($"$ContainerToolsRoot, $ContainerToolsRunRoot = {roots[i % 2]}; $null = Invoke-ContainerImage busybox -Remove -Detach -Network none -- true");
        }
        foreach (string root in roots)
        {
            var deadline = Stopwatch.StartNew();
            while (Ps.Run($"$ContainerToolsRoot, $ContainerToolsRunRoot = {root}; @(Get-Container).Count").Single().BaseObject is not 0)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), $"an auto-remove container is still there in {root}");
                Thread.Sleep(50);
            }
        }
    }

    [Fact]
    public void WaitReturnsTheExitCodeOfADetachedRunThenDeletesIt()
    {
        string id = (string)Ps.Run("(Invoke-ContainerImage busybox -Remove -Detach -- sh -c 'sleep 1; exit 7').Id").Single().BaseObject;
        Assert.Equal(7, Ps.Run($"(Wait-Container -Id {id}).ExitCode").Single().BaseObject);
        AssertDeleted(id);
    }

    [Fact]
    public void StopDeletesADetachedRunAndRestartKeepsIt()
    {
        string stopped = (string)Ps.Run("(Invoke-ContainerImage busybox -Remove -Detach -- sleep 300).Id").Single().BaseObject;
        var ended = Ps.Run($"Stop-Container -Id {stopped} -Timeout 0 -PassThru").Single();
        Assert.Equal(137, ended.Properties["ExitCode"].Value);
        AssertDeleted(stopped);

        string restarted = (string)Ps.Run("(Invoke-ContainerImage busybox -Remove -Detach -- sleep 300).Id").Single().BaseObject;
        Ps.Run($"Restart-Container -Id {restarted} -Timeout 0");
        Assert.Equal("Running", Ps.Run($"(Get-Container -Id {restarted}).Status").Single().BaseObject);
    }

    [Fact]
    public void AForegroundRunWhoseSessionDiesIsDeletedByItsMonitor()
    {
        using (var pwsh = Pwsh.Start(Store, """
            Invoke-ContainerImage busybox -Remove -Name orphan -- sh -c 'echo up; sleep 2; exit 3'
            """))
        {
            Assert.Equal("up", pwsh.StandardOutput.ReadLine());
            pwsh.Kill();
            pwsh.WaitForExit();
        }
        string id = (string)Ps.Run("(Get-Container orphan).Id").Single().BaseObject;
        AssertDeleted(id);
    }

    [Fact]
    public void ARunWithoutRemoveIsKept()
    {
        var container = Ps.Run("Invoke-ContainerImage busybox -Detach -Name kept -- true").Single();
        Assert.Equal(false, container.Properties["AutoRemove"].Value);
        Assert.Equal(0, Ps.Run("(Wait-Container kept).ExitCode").Single().BaseObject);
        Assert.Equal("Exited", Ps.Run("(Get-Container kept).Status").Single().BaseObject);
    }

    /// <summary>
    /// Waits for the container to go and for the removal to finish (its run directory goes after its renamed files,
    /// so it may outlive its listing by the time that deletion takes), then checks that nothing of it is left:
    /// no file or directory of the store or run root named for it (records, locks), no mount, no cgroup.
    /// </summary>
    private void AssertDeleted(string id)
    {
        var deadline = Stopwatch.StartNew();
        while (Ps.Invoke($"Get-Container -Id {id}").Output.Count > 0 || Store.FilesNamedFor(id).FirstOrDefault() is not null)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15),
                $"container {id} is still there, or these of its files remain: {string.Join(", ", Store.FilesNamedFor(id))}");
            Thread.Sleep(50);
        }
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(id, StringComparison.Ordinal));
        foreach (var hierarchy in Directory.EnumerateDirectories("/sys/fs/cgroup"))
            Assert.False(Directory.Exists(Path.Combine(hierarchy, "containertools", id)), $"cgroup {hierarchy}/containertools/{id} remains");
    }
}
