using System.Management.Automation;
using ContainerTools.Containers;

namespace ContainerTools.Cmdlets;

/// <summary>Wait-Container: blocks until containers stop and returns them, with their exit codes.</summary>
[Cmdlet(VerbsLifecycle.Wait, "Container", DefaultParameterSetName = ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class WaitContainerCommand : ContainerTargetCmdlet
{

    /// <summary>Seconds to wait at most; without it, waits as long as it takes.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    protected override void Process(string target) =>
        WriteContainer(Lifecycle.Wait(target, Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null, StopToken));


}
