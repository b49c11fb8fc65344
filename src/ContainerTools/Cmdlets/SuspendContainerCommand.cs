using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>Suspend-Container: freezes every process of a running container (`docker pause`); status Paused.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "Container", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerInfo))]
public sealed class SuspendContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process(string target)
    {
        var container = Lifecycle.Store.Find(target);
        if (!ShouldProcess(container.Name, "Suspend container"))
            return;
        var paused = new ContainerResources(Lifecycle.Store).Pause(container.Id);
        if (PassThru)
            WriteContainer(paused);
    }
}
