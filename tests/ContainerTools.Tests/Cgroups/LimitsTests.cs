using ContainerTools.Core;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Isolation.Cgroups.V1;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>Limits written where the kernel reads them, and bad limits refused before anything changes.</summary>
public sealed class LimitsTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly CgroupScope _groups;

    public LimitsTests() => _groups = new CgroupScope(_store, Core.Isolation.Cgroups.Cgroups.Detect());

    public void Dispose()
    {
        _groups.Dispose();
        _store.Dispose();
    }

    public static TheoryData<string, ResourceLimits> BadLimits => new()
    {
        { "InvalidLimit,Memory", new(Memory: 1L << 20) },
        { "InvalidLimit,Memory", new(Memory: -1) },
        { "InvalidLimit,MemorySwap", new(Memory: 64L << 20, MemorySwap: 32L << 20) },
        { "InvalidLimit,MemorySwap", new(MemorySwap: 64L << 20) },
        { "InvalidLimit,Cpus", new(Cpus: 0) },
        { "InvalidLimit,Cpus", new(Cpus: -1.5) },
        { "InvalidLimit,Cpus", new(Cpus: Environment.ProcessorCount + 1) },
        { "InvalidLimit,Cpus", new(Cpus: double.NaN) },
        { "InvalidLimit,CpuShares", new(CpuShares: 1) },
        { "InvalidLimit,CpusetCpus", new(CpusetCpus: "0-4095") },
        { "InvalidCpuset", new(CpusetCpus: "zero") },
        { "InvalidLimit,PidsLimit", new(PidsLimit: 0) },
        { "InvalidLimit,PidsLimit", new(PidsLimit: -7) },
        { "InvalidLimit,BlkioWeight", new(BlkioWeight: 5) },
        { "InvalidLimit,DeviceRate", new(DeviceReadBps: [new DeviceRate("/dev/null", 0)]) },
        { "NotABlockDevice", new(DeviceWriteBps: [new DeviceRate("/dev/null", 1024)]) },
        { "NotABlockDevice", new(DeviceWriteBps: [new DeviceRate("/dev/no-such-disk", 1024)]) },
    };

    [Theory]
    [MemberData(nameof(BadLimits))]
    public void BadLimitsAreRefusedBeforeTheGroupIsCreated(string errorId, ResourceLimits limits)
    {
        string path = _groups.PathFor("bad");
        var e = Assert.Throws<EngineException>(() => _groups.Driver.Create(path, limits));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.NotNull(e.Target);
        Assert.Null(_groups.Driver.Open(path));
    }

    [Fact]
    public void BadLimitsLeaveARunningGroupsLimitsAsTheyWere()
    {
        var group = _groups.Create("keep", new ResourceLimits(Memory: 128L << 20, PidsLimit: 30));
        Assert.Throws<EngineException>(() => group.Update(new ResourceLimits(Memory: 96L << 20, PidsLimit: 0)));
        var usage = group.ReadUsage();
        Assert.Equal((128L << 20, 30L), (usage.MemoryLimitBytes, usage.PidsLimit));
    }

    [Fact]
    public void EveryLimitLandsInItsV1ControlFile()
    {
        if (_groups.Driver is not CgroupV1Driver v1)
        {
            Assert.Skip("this machine mounts no cgroup v1 hierarchies");
            return;
        }
        string disk = Disks.Holding(_store.Path);
        string number = BlockDevice.Number(disk);
        var group = _groups.Create("files", new ResourceLimits(
            Memory: 64L << 20, MemorySwap: 96L << 20, Cpus: 0.5, CpuShares: 512, CpusetCpus: "0", PidsLimit: 20,
            BlkioWeight: 300, DeviceReadBps: [DeviceRate.Parse(disk + ":10mb")], DeviceWriteBps: [DeviceRate.Parse(disk + ":20mb")]));
        var mounts = CgroupMounts.Read().V1Controllers;
        string Read(string controller, string file) => File.ReadAllText(Path.Combine(mounts[controller], group.RelativePath, file)).Trim();
        Assert.Equal((64L << 20).ToString(), Read("memory", "memory.limit_in_bytes"));
        Assert.Equal((96L << 20).ToString(), Read("memory", "memory.memsw.limit_in_bytes"));
        Assert.Equal(("50000", "100000"), (Read("cpu", "cpu.cfs_quota_us"), Read("cpu", "cpu.cfs_period_us")));
        Assert.Equal("512", Read("cpu", "cpu.shares"));
        Assert.Equal("0", Read("cpuset", "cpuset.cpus"));
        Assert.Equal("20", Read("pids", "pids.max"));
        Assert.Equal("300", File.Exists(Path.Combine(mounts["blkio"], group.RelativePath, "blkio.weight"))
            ? Read("blkio", "blkio.weight") : Read("blkio", "blkio.bfq.weight"));
        Assert.Equal($"{number} {10 << 20}", Read("blkio", "blkio.throttle.read_bps_device"));
        Assert.Equal($"{number} {20 << 20}", Read("blkio", "blkio.throttle.write_bps_device"));
        Assert.All(v1.MountedControllers, c => Assert.True(Directory.Exists(Path.Combine(mounts[c], group.RelativePath)), c));

        // Raising memory above the old memory+swap needs memory+swap widened first; the driver orders it.
        group.Update(new ResourceLimits(Memory: 200L << 20, MemorySwap: 300L << 20));
        Assert.Equal(((200L << 20).ToString(), (300L << 20).ToString()), (Read("memory", "memory.limit_in_bytes"), Read("memory", "memory.memsw.limit_in_bytes")));
        group.Update(new ResourceLimits(Memory: 32L << 20, MemorySwap: -1, PidsLimit: -1));
        Assert.Equal(((32L << 20).ToString(), "max"), (Read("memory", "memory.limit_in_bytes"), Read("pids", "pids.max")));
    }

    [Fact]
    public void CreatingAnExistingGroupReusesItAndAppliesTheNewLimits()
    {
        var first = _groups.Create("again", new ResourceLimits(PidsLimit: 10));
        var second = _groups.Create("again", new ResourceLimits(PidsLimit: 12));
        Assert.Equal(first.RelativePath, second.RelativePath);
        Assert.Equal(12, second.ReadUsage().PidsLimit);
    }

    [Fact]
    public void AGroupUnderACpusetParentAnotherProcessJustMadeStillTakesProcesses()
    {
        var v1 = CgroupMounts.Read().V1Controllers;
        Assert.SkipUnless(_groups.Driver is CgroupV1Driver && v1.ContainsKey("cpuset"), "no cgroup v1 cpuset hierarchy on this machine");
        string cpusetRoot = v1["cpuset"];
        // The moment between another store's mkdir of the shared parent and its copy of cpus and mems.
        string parent = $"{Path.GetFileName(_store.Path)}-shared";
        Directory.CreateDirectory(Path.Combine(cpusetRoot, parent));
        Assert.Equal("", File.ReadAllText(Path.Combine(cpusetRoot, parent, "cpuset.cpus")).Trim());
        var group = _groups.Driver.Create(parent + "/child", new ResourceLimits());
        try
        {
            using var process = new GroupedProcess(_store, group, "true");
            Assert.Contains(process.Id, group.ProcessIds());
        }
        finally
        {
            group.Delete();
        }
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData("containertools/x y")]
    public void PathsThatCouldLeaveTheHierarchyAreRefused(string path) =>
        Assert.Equal("InvalidCgroupPath", Assert.Throws<EngineException>(() => _groups.Driver.Create(path, ResourceLimits.None)).ErrorId);

    [Fact]
    public void LimitsRoundTripThroughJsonAndMergeForSetContainerLimit()
    {
        var limits = new ResourceLimits(Memory: 64L << 20, Cpus: 1.5, CpusetCpus: "0-1", DeviceReadBps: [new DeviceRate("/dev/vda", 1024)]);
        string json = System.Text.Json.JsonSerializer.Serialize(limits, CgroupsJsonContext.Default.ResourceLimits);
        Assert.DoesNotContain("PidsLimit", json);
        var back = System.Text.Json.JsonSerializer.Deserialize(json, CgroupsJsonContext.Default.ResourceLimits)!;
        Assert.Equal((limits.Memory, limits.Cpus, limits.CpusetCpus), (back.Memory, back.Cpus, back.CpusetCpus));
        Assert.Equal(limits.DeviceReadBps, back.DeviceReadBps!.ToList());
        var merged = back.With(new ResourceLimits(Memory: 32L << 20, PidsLimit: 5));
        Assert.Equal((32L << 20, 1.5, 5L), (merged.Memory, merged.Cpus, merged.PidsLimit));
        Assert.Equal("Memory=32MiB, Cpus=1.5, CpusetCpus=0-1, PidsLimit=5, DeviceReadBps=/dev/vda:1KiB", merged.ToString());
        Assert.Equal("none", ResourceLimits.None.ToString());
        Assert.True(ResourceLimits.None.IsEmpty);
        Assert.False(merged.IsEmpty);
    }
}
