using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Statistics;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

public sealed class StatisticsTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly CgroupScope _groups;

    public StatisticsTests() => _groups = new CgroupScope(_store, Core.Isolation.Cgroups.Cgroups.Detect());

    public void Dispose()
    {
        _groups.Dispose();
        _store.Dispose();
    }

    [Fact]
    public void SamplesGiveCpuPercentOfOneCoreAndMemoryAgainstTheLimit()
    {
        var group = _groups.CreateAtRoot("stats", new ResourceLimits(Memory: 128L << 20, Cpus: 0.5, CpuShares: 262144));
        using var process = new GroupedProcess(_store, group, "while :; do :; done");
        process.Release();
        var target = new StatisticsTarget("abc", "busy", group, process.Id);
        var sets = StatisticsSampler.Sample([target], TimeSpan.FromMilliseconds(700), TestContext.Current.CancellationToken).Take(2).ToList();
        Assert.Equal(2, sets.Count);
        var last = Assert.Single(sets[1]);
        TestContext.Current.SendDiagnosticMessage($"busy loop under -Cpus 0.5: {last.CPUPercent}% CPU");
        Assert.Equal(("abc", "busy"), (last.Id, last.Name));
        Assert.InRange(last.CPUPercent, 15, 65);
        Assert.Equal(128L << 20, last.MemoryLimit);
        Assert.Equal(Math.Round(100.0 * last.MemoryUsage / last.MemoryLimit, 2), last.MemoryPercent);
        Assert.Equal(1, last.Pids);
    }

    [Fact]
    public void NetworkCountersSumEveryInterfaceButLoopback()
    {
        string[] netDev =
        [
            "Inter-|   Receive                                                |  Transmit",
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
            "    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0",
            "  eth0: 2000 46 0 0 0 0 0 0 300 31 0 0 0 0 0 0",
            "  eth1:   10  1 0 0 0 0 0 0  20  1 0 0 0 0 0 0",
        ];
        Assert.Equal(new NetworkCounters(2010, 320), NetworkCounters.Parse(netDev));
        Assert.Equal(NetworkCounters.Zero, NetworkCounters.Of(int.MaxValue));
    }
}
