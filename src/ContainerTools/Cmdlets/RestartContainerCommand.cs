using System.Management.Automation;
using ContainerTools.Containers;

namespace ContainerTools.Cmdlets;

/// <summary>Restart-Container: stops (signal, then SIGKILL after -Timeout seconds) and starts again.</summary>
[Cmdlet(VerbsLifecycle.Restart, "Container", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ContainerInfo))]
public sealed class RestartContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Seconds to wait after the stop signal before SIGKILL; the container's -StopTimeout (10 unless given) when omitted.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process(string target)
    {
        var container = Lifecycle.Store.Find(target);
        if (!ShouldProcess(container.Name, "Restart container"))
            return;
        var restarted = Lifecycle.Restart(container.Id, Timeout is int seconds ? TimeSpan.FromSeconds(seconds) : null);
        if (PassThru)
            WriteContainer(restarted);
    }
}
