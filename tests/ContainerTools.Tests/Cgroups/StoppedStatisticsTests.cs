using ContainerTools.Core.Statistics;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Cgroups;

/// <summary>
/// Get-ContainerStatistic of a container that is not running: docker's zeros (`docker stats --no-stream`),
/// never the host's numbers. It showed the host's memory as the limit of a Created or Exited container.
/// </summary>
public sealed class StoppedStatisticsTests : BusyboxSessionTest
{
    [Fact]
    public void ACreatedAndAnExitedContainerReadAllZerosWithoutTheHostsMemory()
    {
        Ps.Run("New-Container busybox -Name created -Network none sleep 300 | Out-Null");
        Ps.Run("New-Container busybox -Name exited -Network none -Start true | Out-Null; Wait-Container exited | Out-Null");
        var result = Ps.Invoke("Get-ContainerStatistic created, exited");
        Assert.Empty(result.Errors);
        var statistics = result.Output.Select(o => (ContainerStatistic)o.BaseObject).ToList();
        Assert.Equal(["created", "exited"], statistics.Select(s => s.Name));
        Assert.All(statistics, s => Assert.Equal(
            (0.0, 0L, 0L, 0.0, 0L, 0L, 0L, 0L, 0L),
            (s.CPUPercent, s.MemoryUsage, s.MemoryLimit, s.MemoryPercent, s.NetworkInput, s.NetworkOutput, s.BlockRead, s.BlockWrite, s.Pids)));
    }

    [Fact]
    public void AContainerWithoutAGroupReadsAsZeroWhateverTheHostHas()
    {
        var statistic = StatisticsSampler.Statistic(new StatisticsTarget("id", "stopped", null, null), null, null, 1L << 30);
        Assert.Equal((0.0, 0L, 0L, 0.0, 0L), (statistic.CPUPercent, statistic.MemoryUsage, statistic.MemoryLimit, statistic.MemoryPercent, statistic.Pids));
    }
}
