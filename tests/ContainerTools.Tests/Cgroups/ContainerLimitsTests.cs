using System.Management.Automation;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>Limits, statistics and pause on real containers, driven through the cmdlets as a user would.</summary>
public sealed class ContainerLimitsTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly PowerShellSession _ps;

    public ContainerLimitsTests()
    {
        _ps = new PowerShellSession(_store);
        BusyboxImage.Import(_ps);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _store.Dispose();
    }

    [Fact]
    public void AContainerAllocatingBeyondItsMemoryIsOomKilledAndReportedSo()
    {
        _ps.Run("New-Container busybox -Name hog -Memory 64MB -Start -- dd if=/dev/zero of=/dev/null bs=200M count=1 | Out-Null");
        var ended = _ps.Run("Wait-Container hog | Out-Null; Get-Container hog").Single();
        Assert.Equal("Exited", ended.Properties["Status"].Value);
        Assert.Equal(137, ended.Properties["ExitCode"].Value);
        Assert.Equal(true, ended.Properties["OomKilled"].Value);
    }

    [Fact]
    public void PidsLimitStopsAForkBombInsideTheContainer()
    {
        string id = Id(_ps.Run("New-Container busybox -Name bomb -PidsLimit 20 -Start -- sh -c 'bomb() { bomb | bomb & }; bomb; sleep 300'").Single());
        var group = ContainerResources.GroupOf(id)!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (group.ReadUsage().Pids < 20 && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        var statistic = _ps.Run("Get-ContainerStatistic bomb").Single();
        Assert.InRange((long)statistic.Properties["Pids"].Value, 15, 20);
        Assert.Equal(20, group.ReadUsage().PidsLimit);
        Assert.Equal((0, "still here\n"), TryHost("echo still here"));
        _ps.Run("Remove-Container bomb -Force");
        Assert.Null(ContainerResources.GroupOf(id));
    }

    /// <summary>
    /// That the quota holds busy loops to half a core is proven on a bare group (EnforcementTests); on a loaded
    /// machine a container may get less than its quota, so here: the quota is in its cgroup, its use stays
    /// under it, and Get-ContainerStatistic agrees with the group's own accounting.
    /// </summary>
    [Fact]
    public void HalfACpuIsTheContainersQuotaAndStatisticsAgreeWithItsAccounting()
    {
        string id = Id(_ps.Run("New-Container busybox -Name busy -Cpus 0.5 -Start -- sh -c 'while :; do :; done & while :; do :; done'").Single());
        var group = ContainerResources.GroupOf(id)!;
        string quota = Path.Combine(CgroupMounts.Read().V1Controllers.GetValueOrDefault("cpu", "/nonexistent"), "containertools", id, "cpu.cfs_quota_us");
        if (File.Exists(quota))
            Assert.Equal("50000", File.ReadAllText(quota).Trim());
        var before = group.ReadUsage();
        var statistics = _ps.Run("Get-ContainerStatistic busy -Count 3").Select(s => (double)s.Properties["CPUPercent"].Value).ToList();
        var after = group.ReadUsage();
        double percent = 100 * (after.CpuNanoseconds - before.CpuNanoseconds) / ((after.ReadAt - before.ReadAt).TotalMilliseconds * 1e6);
        TestContext.Current.SendDiagnosticMessage($"container -Cpus 0.5: {percent:F1}% of a core; Get-ContainerStatistic said {string.Join(", ", statistics)} %");
        Assert.InRange(percent, 1, 60);
        Assert.Equal(3, statistics.Count);
        Assert.All(statistics, cpu => Assert.InRange(cpu, 0.5, 65));
        Assert.InRange(statistics.Average(), percent * 0.5, percent * 1.5 + 5);
    }

    [Fact]
    public void SetContainerLimitLowersMemoryLiveAndTheRecordKeepsItForTheNextStart()
    {
        string id = Id(_ps.Run("""
            New-Container busybox -Name app -Memory 256MB -Start -- sh -c 'dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null && echo fits; until [ -e /tmp/go ]; do sleep 0.1; done; dd if=/dev/zero of=/dev/null bs=100M count=1'
            """).Single());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Log("app").Contains("fits") && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        Assert.Contains("fits", Log("app"));
        var container = _ps.Run("Set-ContainerLimit app -Memory 32m -PassThru").Single();
        var limits = (ResourceLimits)container.Properties["Limits"].Value;
        Assert.Equal(32L << 20, limits.Memory);
        Assert.Equal(32L << 20, ContainerResources.GroupOf(id)!.ReadUsage().MemoryLimitBytes);
        int pid = (int)_ps.Run("(Get-Container app).Pid").Single().BaseObject;
        File.WriteAllText($"/proc/{pid}/root/tmp/go", "");
        var ended = _ps.Run("Wait-Container app | Out-Null; Get-Container app").Single();
        Assert.Equal((137, true), (ended.Properties["ExitCode"].Value, ended.Properties["OomKilled"].Value));

        _ps.Run("New-Container busybox -Name keeper -PidsLimit 50 -Start -- sleep 300 | Out-Null");
        _ps.Run("Set-ContainerLimit keeper -PidsLimit 30 -Cpus 1.5");
        string keeper = (string)_ps.Run("(Restart-Container keeper -Timeout 0 -PassThru).Id").Single().BaseObject;
        var usage = ContainerResources.GroupOf(keeper)!.ReadUsage();
        Assert.Equal(30, usage.PidsLimit);
        var recorded = (ResourceLimits)_ps.Run("(Get-Container keeper).Limits").Single().BaseObject;
        Assert.Equal((30L, 1.5), (recorded.PidsLimit, recorded.Cpus));
    }

    [Fact]
    public void BadLimitsAreErrorRecordsAndNothingIsCreatedOrChanged()
    {
        foreach (var (arguments, errorId) in new[]
                 {
                     ("-Memory 1MB", "InvalidLimit,Memory"),
                     ("-Cpus 4096", "InvalidLimit,Cpus"),
                     ("-PidsLimit 0", "InvalidLimit,PidsLimit"),
                     ("-CpusetCpus 0-4000", "InvalidLimit,CpusetCpus"),
                     ("-DeviceReadBps /dev/null:1mb", "NotABlockDevice"),
                     ("-DeviceWriteBps nodevice", "InvalidDeviceRate"),
                 })
        {
            var result = _ps.Invoke($"New-Container busybox -Name bad {arguments} -- true");
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.NotNull(error.TargetObject);
        }
        var unitless = Assert.Single(_ps.Invoke("New-Container busybox -Name bad -Memory 12parsecs -- true").AllErrors);
        Assert.Contains("ParameterArgumentTransformationError", unitless.FullyQualifiedErrorId);
        Assert.Empty(_ps.Run("Get-Container"));

        _ps.Run("New-Container busybox -Name ok -Memory 64MB -- true | Out-Null");
        var refused = Assert.Single(_ps.Invoke("Set-ContainerLimit ok -Memory 128MB -MemorySwap 64MB").AllErrors);
        Assert.StartsWith("InvalidLimit,MemorySwap", refused.FullyQualifiedErrorId);
        Assert.StartsWith("NoLimitGiven", Assert.Single(_ps.Invoke("Set-ContainerLimit ok").AllErrors).FullyQualifiedErrorId);
        _ps.Run("Set-ContainerLimit ok -Memory 256MB -WhatIf");
        Assert.Equal(64L << 20, ((ResourceLimits)_ps.Run("(Get-Container ok).Limits").Single().BaseObject).Memory);
    }

    [Fact]
    public void SuspendFreezesAContainerAndStopAndRemoveStillWorkOnAPausedOne()
    {
        string id = Id(_ps.Run("New-Container busybox -Name spin -Start -- sh -c 'while :; do :; done'").Single());
        var paused = _ps.Run("Suspend-Container spin -PassThru").Single();
        Assert.Equal("Paused", paused.Properties["Status"].Value);
        Assert.StartsWith("Up ", (string)paused.Properties["StatusText"].Value);
        var group = ContainerResources.GroupOf(id)!;
        Assert.True(group.IsFrozen);
        long frozenAt = group.ReadUsage().CpuNanoseconds;
        Thread.Sleep(300);
        Assert.Equal(frozenAt, group.ReadUsage().CpuNanoseconds);
        Assert.StartsWith("ContainerNotPaused", Assert.Single(_ps.Invoke("Resume-Container spin; Resume-Container spin").AllErrors).FullyQualifiedErrorId);
        Assert.Equal("Running", _ps.Run("(Get-Container spin).Status").Single().BaseObject);
        Assert.False(group.IsFrozen);

        _ps.Run("Suspend-Container spin");
        var stopped = _ps.Run("Stop-Container spin -Timeout 1 -PassThru").Single();
        Assert.Equal("Exited", stopped.Properties["Status"].Value);

        string other = Id(_ps.Run("New-Container busybox -Name frozen -Start -- sleep 300").Single());
        _ps.Run("Get-Container frozen | Suspend-Container");
        Assert.Equal("Paused", _ps.Run("(Get-Container frozen).Status").Single().BaseObject);
        _ps.Run("Remove-Container frozen -Force");
        Assert.Empty(_ps.Run("Get-Container frozen -ErrorAction SilentlyContinue"));
        Assert.Empty(Directory.EnumerateDirectories("/sys/fs/cgroup")
            .SelectMany(h => Directory.EnumerateDirectories(h, other, SearchOption.AllDirectories)));
    }

    [Fact]
    public void StatisticsRenderForRunningContainersLikeDockerStats()
    {
        _ps.Run("New-Container busybox -Name stats -Memory 64MB -Start -- sleep 300 | Out-Null");
        _ps.Run("New-Container busybox -Name idle -- sleep 300 | Out-Null");
        string text = LimitParametersTests.Plain(_ps.Render("Get-ContainerStatistic"));
        Assert.Contains("CONTAINER ID", text);
        var row = Assert.Single(text.Split('\n'), l => l.Contains(" stats "));
        Assert.Matches(@"\s\d+(\.\d+)?%\s+[\d.]+(B|KiB|MiB) / 64MiB\s", row);
        Assert.DoesNotContain(" idle ", text);
        var idle = _ps.Run("Get-ContainerStatistic idle").Single();
        Assert.Equal((0.0, 0L), ((double)idle.Properties["CPUPercent"].Value, (long)idle.Properties["Pids"].Value));
    }

    private string Log(string name) => string.Join("\n", _ps.Run($"Get-ContainerLog {name}").Select(l => l.ToString()));

    private static string Id(PSObject container) => (string)container.Properties["Id"].Value;

    private static (int, string) TryHost(string script)
    {
        var result = Tool.TryRun("/bin/sh", ["-c", script]);
        return (result.ExitCode, result.Stdout);
    }
}
