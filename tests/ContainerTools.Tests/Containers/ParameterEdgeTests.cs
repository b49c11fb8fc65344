using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>
/// The container cmdlets given unusual input, or used on a container in an unusual state: each is what a docker or
/// podman user expects, an ErrorRecord with the right category and target where they refuse, and nothing left behind.
/// </summary>
public sealed class ParameterEdgeTests : BusyboxSessionTest
{
    [Fact]
    public void StartingAPausedContainerIsRefusedAndTheRestGoOn()
    {
        // It returned the paused container as if started; docker and podman refuse ("cannot start a paused container").
        Ps.Run("New-Container busybox -Network none -Name frozen -Start sleep 300 | Suspend-Container; New-Container busybox -Network none -Name fresh sleep 300 | Out-Null");
        var result = Ps.Invoke("'frozen', 'fresh' | Start-Container -PassThru");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ContainerPaused", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Equal("frozen", error.TargetObject);
        Assert.Equal("fresh", Assert.Single(result.Output).Properties["Name"].Value);
        Assert.Equal("Paused", Ps.Run("(Get-Container frozen).Status").Single().BaseObject);
        Assert.Equal("Running", Ps.Run("Resume-Container frozen -PassThru | ForEach-Object Status").Single().BaseObject);
    }
}
