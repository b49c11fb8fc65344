using System.Management.Automation;
using ContainerTools.Containers;

namespace ContainerTools.Cmdlets;

/// <summary>New-Container: creates a container from an image (status Created, or Running with -Start).</summary>
[Cmdlet(VerbsCommon.New, "Container", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerInfo))]
public sealed class NewContainerCommand : ContainerCreationCmdlet
{
    [Parameter]
    public SwitchParameter Start { get; set; }

    protected override void ProcessRecord() => TryTerminating(() =>
    {
        // Before any pull: -WhatIf changes nothing, as New-ContainerVolume's and New-ContainerNetwork's.
        if (!ShouldProcess(Name ?? Image, Start ? $"Create and start container from image {Image}" : $"Create container from image {Image}"))
            return;
        var container = CreateContainer();
        WriteObject(new ContainerInfo(Start ? Lifecycle.Start(container.Id) : container));
    });
}
