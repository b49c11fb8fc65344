using System.Management.Automation;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>Set-ContainerLimit given values the kernel would refuse, on containers in each state.</summary>
public sealed class LimitEdgeTests : BusyboxSessionTest
{
    private string Limits(string name) => Ps.Run($"(Get-Container {name}).Limits.ToString()").Single().ToString();

    [Fact]
    public void APidsLimitBeyondTheKernelsIsRefusedAndNeitherRecordedNorApplied()
    {
        // Recorded on a created container, it made every later start fail (pids.max refuses it, EINVAL); on a
        // running one it was a write error from the cgroup file instead of an invalid argument.
        Ps.Run("New-Container busybox -Name idle -Network none -PidsLimit 100 -- sleep 300 | Out-Null");
        Ps.Run("New-Container busybox -Name busy -Network none -PidsLimit 100 -Start -- sleep 300 | Out-Null");
        foreach (var name in new[] { "idle", "busy" })
        {
            var error = Assert.Single(Ps.Invoke($"Set-ContainerLimit {name} -PidsLimit 99999999999").AllErrors);
            Assert.Equal("InvalidLimit,PidsLimit,ContainerTools.Cmdlets.SetContainerLimitCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(99999999999L, error.TargetObject);
            Assert.Equal("PidsLimit=100", Limits(name));
        }
        string id = Ps.Run("(Get-Container busy).Id").Single().ToString();
        Assert.Equal(100, ContainerResources.GroupOf(id)!.ReadUsage().PidsLimit);
        Ps.Run("Start-Container idle | Out-Null");
        Assert.Equal("Running", Ps.Run("(Get-Container idle).Status").Single().ToString());

        // The kernel's most (PID_MAX_LIMIT) is still a limit, live and on the next start.
        Ps.Run("Set-ContainerLimit busy -PidsLimit 4194304");
        Assert.Equal(4194304, ContainerResources.GroupOf(id)!.ReadUsage().PidsLimit);
    }

    [Fact]
    public void ADeviceDroppedFromTheThrottlesIsNoLongerThrottledLive()
    {
        if (!CgroupMounts.Read().V1Controllers.ContainsKey("blkio"))
        {
            Assert.Skip("this machine mounts no cgroup v1 blkio hierarchy");
            return;
        }
        // Before, the new list was written alone: the dropped device kept its rule in the running group, while
        // the record said it had none.
        string disk = Disks.Holding(Store.Path);
        string other = new[] { "/dev/zram0", "/dev/loop0" }.First(d => d != disk && File.Exists(d));
        Ps.Run($"New-Container busybox -Name throttled -Network none -DeviceReadBps {disk}:2mb -DeviceWriteBps {disk}:3mb -Start -- sleep 300 | Out-Null");
        string id = Ps.Run("(Get-Container throttled).Id").Single().ToString();
        string Rules(string file) => string.Join(';', File.ReadAllLines(Path.Combine(CgroupMounts.Read().V1Controllers["blkio"], ContainerTools.Core.Isolation.Cgroups.Cgroups.PathFor(id), file)));
        Ps.Run($"Set-ContainerLimit throttled -DeviceReadBps {other}:1mb");
        string diskNumber = BlockDevice.Number(disk), otherNumber = BlockDevice.Number(other);
        Assert.Equal($"{otherNumber} {1 << 20}", Rules("blkio.throttle.read_bps_device"));
        Assert.Equal($"{diskNumber} {3 << 20}", Rules("blkio.throttle.write_bps_device"));
        Assert.Equal($"DeviceReadBps={other}:1MiB, DeviceWriteBps={disk}:3MiB", Limits("throttled"));
    }
}
