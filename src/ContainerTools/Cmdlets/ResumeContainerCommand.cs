using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>Resume-Container: thaws a paused container (`docker unpause`); status Running.</summary>
[Cmdlet(VerbsLifecycle.Resume, "Container", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerInfo))]
public sealed class ResumeContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process(string target)
    {
        var container = Lifecycle.Store.Find(target);
        if (!ShouldProcess(container.Name, "Resume container"))
            return;
        var resumed = new ContainerResources(Lifecycle.Store).Resume(container.Id);
        if (PassThru)
            WriteContainer(resumed);
    }
}
