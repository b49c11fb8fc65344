using ContainerTools.Core.Containers;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>A container's run directory (run root): its /etc files and root mount point, made afresh at each start.</summary>
public sealed class RunDirectoryTests : BusyboxSessionTest
{
    [Fact]
    public void EachStartWritesTheEtcFilesAfresh()
    {
        var paths = Paths(Ps.Run("New-Container busybox -Name fresh -Hostname box1 -Network none -- cat /etc/hostname /etc/hosts").Single());
        Assert.False(Directory.Exists(paths.RunDirectory), "a container never started has no run directory");
        Ps.Run("Start-Container fresh -PassThru | Wait-Container | Out-Null");
        Assert.Equal("box1\n", File.ReadAllText(paths.Hostname));
        File.AppendAllText(paths.Hosts, "10.9.9.9\tstale-peer\n");
        Ps.Run("Start-Container fresh -PassThru | Wait-Container | Out-Null");
        var log = Ps.Run("Get-ContainerLog fresh -Tail 4").Select(o => (string)o.BaseObject).ToList();
        Assert.Contains("box1", log);
        Assert.DoesNotContain(log, line => line.Contains("stale-peer", StringComparison.Ordinal));
    }

    [Fact]
    public void AContainerWhoseRunRootWasEmptiedCopiesStartsAndIsRemoved()
    {
        var paths = Paths(Ps.Run("New-Container busybox -Name rebooted -Hostname box2 -Network none -- cat /etc/hostname").Single());
        Ps.Run("Start-Container rebooted -PassThru | Wait-Container | Out-Null");
        Directory.Delete(Store.Location.RunRoot, recursive: true); // as a reboot empties /run
        string copy = Path.Combine(Store.Scratch("copy"), "hostname");
        Ps.Run($"Copy-ContainerItem rebooted:/etc/hostname '{copy}'");
        Assert.Equal("box2\n", File.ReadAllText(copy));
        Assert.Equal(0, Ps.Run("(Start-Container rebooted -PassThru | Wait-Container).ExitCode").Single().BaseObject);
        Ps.Run("Remove-Container rebooted");
        Assert.False(Directory.Exists(paths.RunDirectory), "its run directory remains");
        Assert.False(Directory.Exists(paths.Directory), "its files remain");
    }

    private ContainerPaths Paths(System.Management.Automation.PSObject container) =>
        new(Store.Location, (string)container.Properties["Id"].Value);
}
