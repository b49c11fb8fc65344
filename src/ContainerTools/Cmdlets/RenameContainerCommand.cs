using System.Management.Automation;
using ContainerTools.Containers;

namespace ContainerTools.Cmdlets;

/// <summary>Rename-Container: gives a container a new, unused name.</summary>
[Cmdlet(VerbsCommon.Rename, "Container", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerInfo))]
public sealed class RenameContainerCommand : ContainerTargetCmdlet
{
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string NewName { get; set; } = "";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process(string target)
    {
        var container = Lifecycle.Store.Find(target);
        if (!ShouldProcess(container.Name, $"Rename container to {NewName}"))
            return;
        var renamed = Lifecycle.Store.Rename(container.Id, NewName);
        if (PassThru)
            WriteContainer(renamed);
    }
}
