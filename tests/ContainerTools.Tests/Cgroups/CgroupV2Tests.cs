using ContainerTools.Core;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Isolation.Cgroups.V2;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>
/// The v2 driver on a real cgroup2 hierarchy mounted by the test. On a hybrid machine v1 holds most
/// controllers, so each controller's test runs when the hierarchy offers it and says so when it does not.
/// </summary>
public sealed class CgroupV2Tests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly CgroupV2Driver _driver;
    private readonly CgroupScope _groups;

    public CgroupV2Tests()
    {
        string mount = _store.Scratch("cgroup2");
        Tool.Run("mount", "-t", "cgroup2", "none", mount);
        _driver = new CgroupV2Driver(mount);
        _groups = new CgroupScope(_store, _driver);
    }

    public void Dispose()
    {
        _groups.Dispose();
        _store.Dispose();
    }

    [Fact]
    public void GroupsHoldFreezeAccountAndKillTheirProcesses()
    {
        TestContext.Current.SendDiagnosticMessage(
            $"cgroup2 at {_driver.MountRoot} offers [{string.Join(' ', _driver.AvailableControllers)}]; untestable here: "
            + string.Join(' ', CgroupV2Driver.Controllers.Where(c => !_driver.AvailableControllers.Contains(c))));
        var group = _groups.Create("core", ResourceLimits.None);
        using var process = new GroupedProcess(_store, group, "while :; do :; done & sleep 60");
        process.Release();
        Thread.Sleep(200);
        Assert.Equal(2, group.ProcessIds().Count);
        Assert.Contains(process.Id, group.ProcessIds());

        group.Freeze();
        Assert.True(group.IsFrozen);
        long frozenAt = group.ReadUsage().CpuNanoseconds;
        Assert.True(frozenAt > 0, "cpu.stat usage_usec counts without the cpu controller");
        Thread.Sleep(300);
        Assert.Equal(frozenAt, group.ReadUsage().CpuNanoseconds);
        group.Thaw();
        Assert.False(group.IsFrozen);
        Thread.Sleep(300);
        Assert.True(group.ReadUsage().CpuNanoseconds > frozenAt);

        group.Freeze();
        group.KillAll();
        Assert.Equal(137, process.WaitForExit().ExitCode);
        group.Delete();
        Assert.False(Directory.Exists(Path.Combine(_driver.MountRoot, group.RelativePath)));
        Assert.Null(_driver.Open(group.RelativePath));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("cpu")]
    [InlineData("cpuset")]
    [InlineData("pids")]
    [InlineData("io")]
    public void EachOfferedControllersLimitsLandInItsFiles(string controller)
    {
        if (!_driver.AvailableControllers.Contains(controller))
        {
            Assert.Skip($"cgroup v2 {controller} limits untested on this machine: its cgroup2 hierarchy does not offer {controller} (cgroup v1 holds it)");
            return;
        }
        string disk = Disks.Holding(_store.Path);
        var (limits, expected) = controller switch
        {
            "memory" => (new ResourceLimits(Memory: 64L << 20, MemorySwap: 96L << 20), new[] { ("memory.max", $"{64L << 20}"), ("memory.swap.max", $"{32L << 20}") }),
            "cpu" => (new ResourceLimits(Cpus: 0.5, CpuShares: 1024), [("cpu.max", "50000 100000"), ("cpu.weight", "39")]),
            "cpuset" => (new ResourceLimits(CpusetCpus: "0"), [("cpuset.cpus", "0")]),
            "pids" => (new ResourceLimits(PidsLimit: 20), [("pids.max", "20")]),
            _ => (new ResourceLimits(DeviceReadBps: [new DeviceRate(disk, 1 << 20)]), [("io.max", $"{BlockDevice.Number(disk)} rbps={1 << 20} wbps=max riops=max wiops=max")]),
        };
        var group = _groups.Create(controller, limits);
        foreach (var (file, value) in expected)
            Assert.Equal(value, File.ReadAllText(Path.Combine(_driver.MountRoot, group.RelativePath, file)).Trim());
    }

    [Fact]
    public void LimitsOfControllersTheHierarchyLacksAreRefusedByName()
    {
        string? missing = CgroupV2Driver.Controllers.FirstOrDefault(c => !_driver.AvailableControllers.Contains(c) && c != "io");
        if (missing is null)
        {
            Assert.Skip("this cgroup2 hierarchy offers every controller");
            return;
        }
        var limits = missing switch
        {
            "memory" => new ResourceLimits(Memory: 64L << 20),
            "cpu" => new ResourceLimits(Cpus: 1),
            "cpuset" => new ResourceLimits(CpusetCpus: "0"),
            _ => new ResourceLimits(PidsLimit: 10),
        };
        string path = _groups.PathFor("missing");
        var e = Assert.Throws<EngineException>(() => _driver.Create(path, limits));
        Assert.Equal(("CgroupControllerUnavailable", ErrorKind.ResourceUnavailable), (e.ErrorId, e.Kind));
        Assert.Contains(missing, e.Message);
        Assert.Null(_driver.Open(path));
    }

    [Fact]
    public void DockerUnitsBecomeV2Values()
    {
        var settings = CgroupV2Settings.For(new ResourceLimits(
            Memory: 100, MemorySwap: 250, Cpus: 1.5, CpuShares: 2, PidsLimit: -1, BlkioWeight: 1000))
            .ToDictionary(s => s.File, s => s.Value);
        Assert.Equal("100", settings["memory.max"]);
        Assert.Equal("150", settings["memory.swap.max"]);
        Assert.Equal("150000 100000", settings["cpu.max"]);
        Assert.Equal("1", settings["cpu.weight"]);
        Assert.Equal("max", settings["pids.max"]);
        Assert.Equal(10000, CgroupV2Settings.IoWeight(1000));
        Assert.Equal(10000, CgroupV2Settings.CpuWeight(262144));
        Assert.Equal("max", CgroupV2Settings.For(new ResourceLimits(Memory: 100, MemorySwap: -1)).Single(s => s.File == "memory.swap.max").Value);
    }
}
