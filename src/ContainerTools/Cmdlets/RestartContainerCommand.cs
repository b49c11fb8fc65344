using System.Management.Automation;
using ContainerTools.Containers;

namespace ContainerTools.Cmdlets;

/// <summary>Restart-Container: stops (signal, then SIGKILL after -Timeout seconds) and starts again.</summary>
[Cmdlet(VerbsLifecycle.Restart, "Container", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ContainerInfo))]
public sealed class RestartContainerCommand : ContainerStopCmdlet
{
    protected override void Process(string target)
    {
        var container = Lifecycle.Store.Find(target);
        if (!ShouldProcess(container.Name, "Restart container"))
            return;
        var restarted = Lifecycle.Restart(container.Id, StopTimeout);
        if (PassThru)
            WriteContainer(restarted);
    }
}
