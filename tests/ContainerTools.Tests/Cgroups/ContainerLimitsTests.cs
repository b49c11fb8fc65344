using System.Management.Automation;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Runtime;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>Limits, statistics and pause on real containers, driven through the cmdlets as a user would.</summary>
public sealed class ContainerLimitsTests : BusyboxSessionTest
{
    [Fact]
    public void AContainerAllocatingBeyondItsMemoryIsOomKilledAndReportedSo()
    {
        Ps.Run("New-Container busybox -Name hog -Memory 64MB -Start -- dd if=/dev/zero of=/dev/null bs=200M count=1 | Out-Null");
        var ended = Ps.Run("Wait-Container hog | Out-Null; Get-Container hog").Single();
        Assert.Equal("Exited", ended.Properties["Status"].Value);
        Assert.Equal(137, ended.Properties["ExitCode"].Value);
        Assert.Equal(true, ended.Properties["OomKilled"].Value);
    }

    [Fact]
    public void InvokeContainerImageTakesTheLimitsToo()
    {
        Ps.Invoke("Invoke-ContainerImage busybox -Name run -Memory 64m -PidsLimit 10 -- dd if=/dev/zero of=/dev/null bs=200M count=1");
        Assert.Equal(137, Ps.Run("$LASTEXITCODE").Single().BaseObject);
        var ended = Ps.Run("Get-Container run").Single();
        Assert.Equal(true, ended.Properties["OomKilled"].Value);
        Assert.Equal("Memory=64MiB, PidsLimit=10", ended.Properties["Limits"].Value.ToString());
    }

    [Fact]
    public void PidsLimitStopsAForkBombInsideTheContainer()
    {
        // PID 1 forks once, while forks are plentiful, then becomes sleep: a refused fork can never end the container.
        string id = Id(Ps.Run("New-Container busybox -Name bomb -PidsLimit 20 -Start -- sh -c 'bomb() { bomb | bomb & }; (bomb); exec sleep 300'").Single());
        var driver = Core.Isolation.Cgroups.Cgroups.Detect();
        var group = ContainerResources.GroupOf(id);
        Assert.True(group is not null, $"container bomb has no cgroup: {Ps.Run("(Get-Container bomb).StatusText").Single()} {Log("bomb")}");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (CgroupScope.RefusedForks(driver, group) == 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.True(CgroupScope.RefusedForks(driver, group) > 0, "the kernel never refused the bomb a fork");
        var statistic = Ps.Run("Get-ContainerStatistic bomb").Single();
        Assert.InRange((long)statistic.Properties["Pids"].Value, 1, 20);
        Assert.Equal(20, group.ReadUsage().PidsLimit);
        Assert.Equal((0, "still here\n"), TryHost("echo still here"));
        Ps.Run("Remove-Container bomb -Force");
        Assert.Null(ContainerResources.GroupOf(id));
    }

    [Fact]
    public void AContainerReadsItsOwnLimitsUnderSysFsCgroupAndCannotChangeThem()
    {
        // /sys/fs/cgroup was an empty tmpfs: a JVM or .NET inside sized itself by the host's memory and cores.
        bool v1 = Core.Isolation.Cgroups.Cgroups.Detect().Version == "v1";
        string memory = v1 ? "/sys/fs/cgroup/memory/memory.limit_in_bytes" : "/sys/fs/cgroup/memory.max";
        string pids = v1 ? "/sys/fs/cgroup/pids/pids.max" : "/sys/fs/cgroup/pids.max";
        string listing = v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup";
        var lines = Ps.Run($"Invoke-ContainerImage busybox -Remove -Memory 64MB -PidsLimit 20 -- sh -c " +
            $"'cat {memory} {pids}; ls {listing} | grep -c containertools; " +
            $"(echo 1 > {pids}) 2>/dev/null && echo written; mkdir {listing}/made 2>/dev/null && echo made; echo end'")
            .Select(line => line.ToString()).ToList();
        // Its own group is the root of what it sees: the host's groups (containertools/<id> among them) are out of
        // sight, and it can neither write a limit nor make a group.
        Assert.Equal(["67108864", "20", "0", "end"], lines);
        Assert.Equal(0, Ps.Run("$LASTEXITCODE").Single().BaseObject);
    }

    [Fact]
    public void GroupsAPrivilegedContainerMadeBelowItsOwnGoWithIt()
    {
        // Its /sys/fs/cgroup is writable; Remove-Container failed with rmdir's EBUSY on the group with children.
        bool v1 = Core.Isolation.Cgroups.Cgroups.Detect().Version == "v1";
        string memory = v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup";
        string id = Id(Ps.Run($"New-Container busybox -Name maker -Network none -Privileged -Start -- sh -c " +
            $"'mkdir -p {memory}/child/grandchild && echo made; exec sleep 300'").Single());
        var group = ContainerResources.GroupOf(id);
        Assert.NotNull(group);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Log("maker").Contains("made", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.Contains("made", Log("maker"));
        Ps.Run("Remove-Container maker -Force");
        Assert.Null(ContainerResources.GroupOf(id));
        foreach (var hierarchy in Directory.EnumerateDirectories("/sys/fs/cgroup"))
            Assert.False(Directory.Exists(Path.Combine(hierarchy, Core.Isolation.Cgroups.Cgroups.PathFor(id))), $"{hierarchy}: the group remains");
    }

    /// <summary>
    /// That the quota holds busy loops to half a core is proven on a bare group (EnforcementTests); on a loaded
    /// machine a container may get less than its quota, so here: the quota is in its cgroup, its use stays
    /// under it, and Get-ContainerStatistic agrees with the group's own accounting.
    /// </summary>
    [Fact]
    public void HalfACpuIsTheContainersQuotaAndStatisticsAgreeWithItsAccounting()
    {
        string id = Id(Ps.Run("New-Container busybox -Name busy -Cpus 0.5 -Start -- sh -c 'while :; do :; done & while :; do :; done'").Single());
        var group = ContainerResources.GroupOf(id)!;
        string quota = Path.Combine(CgroupMounts.Read().V1Controllers.GetValueOrDefault("cpu", "/nonexistent"), "containertools", id, "cpu.cfs_quota_us");
        if (File.Exists(quota))
            Assert.Equal("50000", File.ReadAllText(quota).Trim());
        var before = group.ReadUsage();
        var statistics = Ps.Run("Get-ContainerStatistic busy -Count 3").Select(s => (double)s.Properties["CPUPercent"].Value).ToList();
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
        string id = Id(Ps.Run("""
            New-Container busybox -Name app -Memory 256MB -Start -- sh -c 'dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null && echo fits; until [ -e /tmp/go ]; do sleep 0.1; done; dd if=/dev/zero of=/dev/null bs=100M count=1'
            """).Single());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Log("app").Contains("fits") && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        Assert.Contains("fits", Log("app"));
        var container = Ps.Run("Set-ContainerLimit app -Memory 32m -PassThru").Single();
        var limits = (ResourceLimits)container.Properties["Limits"].Value;
        Assert.Equal(32L << 20, limits.Memory);
        Assert.Equal(32L << 20, ContainerResources.GroupOf(id)!.ReadUsage().MemoryLimitBytes);
        int pid = (int)Ps.Run("(Get-Container app).Pid").Single().BaseObject;
        File.WriteAllText($"/proc/{pid}/root/tmp/go", "");
        var ended = Ps.Run("Wait-Container app | Out-Null; Get-Container app").Single();
        Assert.Equal((137, true), (ended.Properties["ExitCode"].Value, ended.Properties["OomKilled"].Value));

        Ps.Run("New-Container busybox -Name keeper -PidsLimit 50 -Start -- sleep 300 | Out-Null");
        Ps.Run("Set-ContainerLimit keeper -PidsLimit 30 -Cpus 1.5");
        string keeper = (string)Ps.Run("(Restart-Container keeper -Timeout 0 -PassThru).Id").Single().BaseObject;
        var usage = ContainerResources.GroupOf(keeper)!.ReadUsage();
        Assert.Equal(30, usage.PidsLimit);
        var recorded = (ResourceLimits)Ps.Run("(Get-Container keeper).Limits").Single().BaseObject;
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
            var result = Ps.Invoke($"New-Container busybox -Name bad {arguments} -- true");
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.NotNull(error.TargetObject);
        }
        var unitless = Assert.Single(Ps.Invoke("New-Container busybox -Name bad -Memory 12parsecs -- true").AllErrors);
        Assert.Contains("ParameterArgumentTransformationError", unitless.FullyQualifiedErrorId);
        Assert.Empty(Ps.Run("Get-Container"));

        Ps.Run("New-Container busybox -Name ok -Memory 64MB -- true | Out-Null");
        var refused = Assert.Single(Ps.Invoke("Set-ContainerLimit ok -Memory 128MB -MemorySwap 64MB").AllErrors);
        Assert.StartsWith("InvalidLimit,MemorySwap", refused.FullyQualifiedErrorId);
        // The record named no container (it was made before any was bound), piped or not.
        foreach (string call in new[] { "Set-ContainerLimit ok", "'ok' | Set-ContainerLimit", "Get-Container ok | Set-ContainerLimit" })
        {
            var noLimit = Assert.Single(Ps.Invoke(call).AllErrors);
            Assert.StartsWith("NoLimitGiven", noLimit.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, noLimit.CategoryInfo.Category);
            Assert.Equal("ok", noLimit.TargetObject);
        }
        Ps.Run("Set-ContainerLimit ok -Memory 256MB -WhatIf");
        Assert.Equal(64L << 20, ((ResourceLimits)Ps.Run("(Get-Container ok).Limits").Single().BaseObject).Memory);
    }

    [Fact]
    public void SuspendFreezesAContainerAndStopAndRemoveStillWorkOnAPausedOne()
    {
        string id = Id(Ps.Run("New-Container busybox -Name spin -Start -- sh -c 'while :; do :; done'").Single());
        var paused = Ps.Run("Suspend-Container spin -PassThru").Single();
        Assert.Equal("Paused", paused.Properties["Status"].Value);
        Assert.StartsWith("Up ", (string)paused.Properties["StatusText"].Value);
        var group = ContainerResources.GroupOf(id)!;
        Assert.True(group.IsFrozen);
        long frozenAt = group.ReadUsage().CpuNanoseconds;
        Thread.Sleep(300);
        Assert.Equal(frozenAt, group.ReadUsage().CpuNanoseconds);
        Assert.StartsWith("ContainerNotPaused", Assert.Single(Ps.Invoke("Resume-Container spin; Resume-Container spin").AllErrors).FullyQualifiedErrorId);
        Assert.Equal("Running", Ps.Run("(Get-Container spin).Status").Single().BaseObject);
        Assert.False(group.IsFrozen);

        Ps.Run("Suspend-Container spin");
        var stopped = Ps.Run("Stop-Container spin -Timeout 1 -PassThru").Single();
        Assert.Equal("Exited", stopped.Properties["Status"].Value);

        string other = Id(Ps.Run("New-Container busybox -Name frozen -Start -- sleep 300").Single());
        Ps.Run("Get-Container frozen | Suspend-Container");
        Assert.Equal("Paused", Ps.Run("(Get-Container frozen).Status").Single().BaseObject);
        Ps.Run("Remove-Container frozen -Force");
        Assert.Empty(Ps.Run("Get-Container frozen -ErrorAction SilentlyContinue"));
        Assert.Empty(Directory.EnumerateDirectories("/sys/fs/cgroup")
            .SelectMany(h => Directory.EnumerateDirectories(h, other, SearchOption.AllDirectories)));
    }

    [Fact]
    public void StatisticsRenderForRunningContainersLikeDockerStats()
    {
        Ps.Run("New-Container busybox -Name stats -Memory 64MB -Start -- sleep 300 | Out-Null");
        Ps.Run("New-Container busybox -Name idle -- sleep 300 | Out-Null");
        string text = LimitParametersTests.Plain(Ps.Render("Get-ContainerStatistic"));
        Assert.Contains("CONTAINER ID", text);
        var row = Assert.Single(text.Split('\n'), l => l.Contains(" stats "));
        Assert.Matches(@"\s\d+(\.\d+)?%\s+[\d.]+(B|KiB|MiB) / 64MiB\s", row);
        Assert.DoesNotContain(" idle ", text);
        var idle = Ps.Run("Get-ContainerStatistic idle").Single();
        Assert.Equal((0.0, 0L), ((double)idle.Properties["CPUPercent"].Value, (long)idle.Properties["Pids"].Value));
        // -Stream goes on until stopped, or as here until -Count sets are out.
        Assert.Equal(2, Ps.Run("Get-ContainerStatistic stats -Stream -Count 2").Count);
    }

    private string Log(string name) => string.Join("\n", Ps.Run($"Get-ContainerLog {name}").Select(l => l.ToString()));

    private static string Id(PSObject container) => (string)container.Properties["Id"].Value;

    private static (int, string) TryHost(string script)
    {
        var result = Tool.TryRun("/bin/sh", ["-c", script]);
        return (result.ExitCode, result.Stdout);
    }
}
