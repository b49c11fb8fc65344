using System.Management.Automation;
using ContainerTools.Containers;

namespace ContainerTools.Cmdlets;

/// <summary>Start-Container: starts created or exited containers; returns when each runs (or failed to start).</summary>
[Cmdlet(VerbsLifecycle.Start, "Container", DefaultParameterSetName = ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class StartContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process(string target)
    {
        var container = Lifecycle.Start(target);
        if (PassThru)
            WriteContainer(container);
    }
}
