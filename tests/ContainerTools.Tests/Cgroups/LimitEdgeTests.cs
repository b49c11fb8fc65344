using System.Management.Automation;
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
}
