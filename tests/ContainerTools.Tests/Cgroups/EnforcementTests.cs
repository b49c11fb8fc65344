using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>Limits enforced by the kernel on real processes, through the driver this machine's mounts select.</summary>
public sealed class EnforcementTests : IDisposable
{
    private const int KilledBySigkill = 137;
    private readonly TestStore _store = new();
    private readonly CgroupScope _groups;

    public EnforcementTests() => _groups = new CgroupScope(_store, Core.Isolation.Cgroups.Cgroups.Detect());

    public void Dispose()
    {
        _groups.Dispose();
        _store.Dispose();
    }

    [Fact]
    public void AProcessAllocatingBeyondItsMemoryLimitIsOomKilled()
    {
        var group = _groups.Create("oom", new ResourceLimits(Memory: 64L << 20));
        using var process = new GroupedProcess(_store, group, "dd if=/dev/zero of=/dev/null bs=200M count=1");
        Assert.False(group.OomKilled);
        process.Release();
        var (exitCode, output) = process.WaitForExit();
        Assert.True(exitCode == KilledBySigkill, $"exit code {exitCode}: {output}");
        Assert.True(group.OomKilled);
    }

    [Fact]
    public void LoweringMemoryLiveTakesEffectOnTheRunningProcess()
    {
        var group = _groups.Create("lower", new ResourceLimits(Memory: 256L << 20));
        using var process = new GroupedProcess(_store, group,
            "dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null && echo fits; read again; dd if=/dev/zero of=/dev/null bs=100M count=1");
        process.Release();
        Assert.Equal("fits", process.ReadLine());
        group.Update(new ResourceLimits(Memory: 32L << 20));
        Assert.Equal(32L << 20, group.ReadUsage().MemoryLimitBytes);
        process.Send("again");
        var (exitCode, output) = process.WaitForExit();
        Assert.True(exitCode == KilledBySigkill, $"exit code {exitCode}: {output}");
        Assert.True(group.OomKilled);
    }

    [Fact]
    public void LoweringMemoryBelowWhatIsInUseIsRefusedOrEnforced()
    {
        var group = _groups.Create("below", new ResourceLimits(Memory: 256L << 20));
        using var process = new GroupedProcess(_store, group, "x=$(head -c 40000000 /dev/zero | tr '\\0' a); echo held; read done");
        process.Release();
        Assert.Equal("held", process.ReadLine());
        if (_groups.Driver.Version == "v1")
        {
            // v1 cannot reclaim anonymous memory without swap, so it refuses and the old limit stays.
            var e = Assert.Throws<Core.EngineException>(() => group.Update(new ResourceLimits(Memory: 16L << 20)));
            Assert.Equal("MemoryLimitBelowUsage", e.ErrorId);
            Assert.Equal(256L << 20, group.ReadUsage().MemoryLimitBytes);
            process.Send("done");
            Assert.Equal(0, process.WaitForExit().ExitCode);
        }
        else
        {
            group.Update(new ResourceLimits(Memory: 16L << 20));
            Assert.Equal(KilledBySigkill, process.WaitForExit().ExitCode);
            Assert.True(group.OomKilled);
        }
    }

    [Fact]
    public void PidsLimitStopsAForkBombWhileTheHostStaysResponsive()
    {
        var group = _groups.Create("pids", new ResourceLimits(PidsLimit: 20));
        using var process = new GroupedProcess(_store, group, "bomb() { bomb | bomb & }; (bomb); exec sleep 60");
        process.Release();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (CgroupScope.RefusedForks(_groups.Driver, group) == 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.True(CgroupScope.RefusedForks(_groups.Driver, group) > 0, "the kernel never refused the bomb a fork");
        for (int sample = 0; sample < 10; sample++)
        {
            var usage = group.ReadUsage();
            Assert.Equal(20, usage.PidsLimit);
            Assert.True(usage.Pids <= 20, $"{usage.Pids} processes in a group limited to 20");
            Thread.Sleep(20);
        }
        var host = Tool.TryRun("/bin/sh", ["-c", "echo responsive"]);
        Assert.Equal((0, "responsive\n"), (host.ExitCode, host.Stdout));
        group.KillAll();
        Assert.True(process.WaitForExit().ExitCode == KilledBySigkill);
    }

    [Fact]
    public void HalfACpuHoldsBusyLoopsToAboutHalfACore()
    {
        // Two busy loops could use two cores, and top shares win them CPU against the machine's other work:
        // only the quota holds them to half of one.
        var group = _groups.CreateAtRoot("cpu", new ResourceLimits(Cpus: 0.5, CpuShares: 262144));
        using var process = new GroupedProcess(_store, group, "while :; do :; done & while :; do :; done");
        process.Release();
        Thread.Sleep(300);
        var before = group.ReadUsage();
        Thread.Sleep(3000);
        var after = group.ReadUsage();
        double cores = (after.CpuNanoseconds - before.CpuNanoseconds) / ((after.ReadAt - before.ReadAt).TotalMilliseconds * 1e6);
        TestContext.Current.SendDiagnosticMessage($"-Cpus 0.5: two busy loops used {cores:F3} cores, throttled in {after.CpuThrottledPeriods - before.CpuThrottledPeriods} periods");
        Assert.InRange(cores, 0.2, 0.6);
        // Throttling happens only when a quota is set and reached: an unlimited group never passes this.
        Assert.True(after.CpuThrottledPeriods - before.CpuThrottledPeriods >= 5);
    }

    [Fact]
    public void FrozenProcessesUseNoCpuUntilThawed()
    {
        var group = _groups.Create("freeze", ResourceLimits.None);
        using var process = new GroupedProcess(_store, group, "while :; do :; done");
        process.Release();
        Thread.Sleep(200);
        group.Freeze();
        Assert.True(group.IsFrozen);
        long frozenAt = group.ReadUsage().CpuNanoseconds;
        Thread.Sleep(500);
        Assert.Equal(frozenAt, group.ReadUsage().CpuNanoseconds);
        group.Thaw();
        Assert.False(group.IsFrozen);
        Thread.Sleep(300);
        Assert.True(group.ReadUsage().CpuNanoseconds > frozenAt);
    }

    [Fact]
    public void DeletingAFrozenGroupKillsItsProcessesAndRemovesItEverywhere()
    {
        var group = _groups.Create("delete", new ResourceLimits(Memory: 64L << 20, PidsLimit: 50));
        using var process = new GroupedProcess(_store, group, "sleep 60 & sleep 60 & wait");
        process.Release();
        Thread.Sleep(200);
        Assert.Equal(3, group.ProcessIds().Count);
        group.Freeze();
        group.Delete();
        Assert.Equal(KilledBySigkill, process.WaitForExit().ExitCode);
        Assert.Null(_groups.Driver.Open(group.RelativePath));
        string name = group.RelativePath.Split('/')[^1];
        Assert.Empty(Directory.EnumerateDirectories("/sys/fs/cgroup").SelectMany(h => Directory.EnumerateDirectories(h, name, SearchOption.AllDirectories)));
        group.Delete();
    }

    [Fact]
    public void UsageCountsTheGroupsCpuMemoryPidsAndBlockIo()
    {
        string scratch = _store.Scratch("io");
        // Kernels since 5.x count v1 block I/O only on devices with a throttle rule, as Docker's stats see it too.
        string disk = Disks.Holding(scratch);
        var group = _groups.Create("usage", new ResourceLimits(DeviceWriteBps: [new DeviceRate(disk, 1L << 30)]));
        string file = Path.Combine(scratch, "written");
        using var process = new GroupedProcess(_store, group,
            $"dd if=/dev/zero of={file} bs=1M count=4 oflag=direct 2>/dev/null; x=$(head -c 20000000 /dev/zero | tr '\\0' a); echo held; read done");
        process.Release();
        Assert.Equal("held", process.ReadLine());
        var usage = group.ReadUsage();
        Assert.True(usage.CpuNanoseconds > 0);
        Assert.True(usage.MemoryBytes >= 20_000_000, $"memory {usage.MemoryBytes}");
        Assert.Null(usage.MemoryLimitBytes);
        Assert.Equal(1, usage.Pids);
        Assert.True(usage.BlockWriteBytes >= 4 << 20, $"block writes {usage.BlockWriteBytes}");
        process.Send("done");
        Assert.Equal(0, process.WaitForExit().ExitCode);
    }
}
