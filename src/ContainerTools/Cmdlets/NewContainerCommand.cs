using System.Management.Automation;
using ContainerTools.Containers;

namespace ContainerTools.Cmdlets;

/// <summary>New-Container: creates a container from an image (status Created, or Running with -Start).</summary>
[Cmdlet(VerbsCommon.New, "Container")]
[OutputType(typeof(ContainerInfo))]
public sealed class NewContainerCommand : ContainerCreationCmdlet
{
    [Parameter]
    public SwitchParameter Start { get; set; }

    protected override void ProcessRecord() => TryTerminating(() =>
    {
        var container = CreateContainer();
        WriteObject(new ContainerInfo(Start ? Lifecycle.Start(container.Id) : container));
    });
}
