using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>Stop-Container: the stop signal, then SIGKILL after -Timeout seconds, as `docker stop`.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Container", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ContainerInfo))]
public sealed class StopContainerCommand : ContainerStopCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Signal { get; set; }

    protected override void Process(string target)
    {
        int? signal = Signal is null ? null : Signals.Parse(Signal);
        var container = Lifecycle.Store.Find(target);
        if (!ShouldProcess(container.Name, "Stop container"))
            return;
        var stopped = Lifecycle.Stop(container.Id, StopTimeout, signal);
        if (PassThru)
            WriteContainer(stopped);
    }
}
