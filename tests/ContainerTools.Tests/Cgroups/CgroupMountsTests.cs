using ContainerTools.Core;
using ContainerTools.Core.Isolation.Cgroups;

namespace ContainerTools.Tests.Cgroups;

public sealed class CgroupMountsTests
{
    private const string Hybrid = """
        24 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
        30 24 0:26 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        31 30 0:27 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        32 30 0:28 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        33 30 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        34 30 0:30 / /sys/fs/cgroup/net_cls,net_prio rw,relatime - cgroup cgroup rw,net_cls,net_prio
        35 30 0:31 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        36 30 0:32 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    [Fact]
    public void HybridMachinesGetTheV1DriverWithEachControllersMount()
    {
        var mounts = CgroupMounts.Parse(Hybrid.Split('\n'));
        Assert.Equal("/sys/fs/cgroup/unified", mounts.Unified);
        Assert.Equal("/sys/fs/cgroup/memory", mounts.V1Controllers["memory"]);
        Assert.Equal("/sys/fs/cgroup/net_cls,net_prio", mounts.V1Controllers["net_prio"]);
        Assert.DoesNotContain("name=systemd", mounts.V1Controllers.Keys);
        Assert.Equal("v1", Core.Isolation.Cgroups.Cgroups.Detect(mounts).Version);
    }

    [Fact]
    public void AUnifiedSysFsCgroupGetsTheV2Driver()
    {
        var mounts = CgroupMounts.Parse(["29 24 0:25 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"]);
        var driver = Core.Isolation.Cgroups.Cgroups.Detect(mounts);
        Assert.Equal("v2", driver.Version);
        Assert.Equal("/sys/fs/cgroup", ((Core.Isolation.Cgroups.V2.CgroupV2Driver)driver).MountRoot);
    }

    [Fact]
    public void NoCgroupFileSystemIsAnError()
    {
        var e = Assert.Throws<EngineException>(() => Core.Isolation.Cgroups.Cgroups.Detect(CgroupMounts.Parse(["24 1 254:0 / / rw - ext4 /dev/vda rw"])));
        Assert.Equal(ErrorKind.ResourceUnavailable, e.Kind);
    }
}
