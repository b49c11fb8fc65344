using System.Management.Automation;
using ContainerTools.Containers;

namespace ContainerTools.Cmdlets;

/// <summary>Remove-Container: deletes stopped containers (running ones with -Force, which kills them first).</summary>
[Cmdlet(VerbsCommon.Remove, "Container", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>docker rm -v: its anonymous volumes go too (never named ones, nor one another container mounts).</summary>
    [Parameter]
    public SwitchParameter Volumes { get; set; }

    protected override void Process(string target)
    {
        var container = Lifecycle.Store.Find(target);
        if (!ShouldProcess(container.Name, Force && container.IsRunning ? "Kill and remove running container" : "Remove container"))
            return;
        Lifecycle.Remove(container.Id, Force, Volumes);
    }
}
