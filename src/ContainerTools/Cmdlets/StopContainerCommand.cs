using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>Stop-Container: the stop signal, then SIGKILL after -Timeout seconds, as `docker stop`.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Container", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ContainerInfo))]
public sealed class StopContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = 10;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Signal { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process(string target)
    {
        int? signal = Signal is null ? null : Signals.Parse(Signal);
        var container = Lifecycle.Store.Find(target);
        if (!ShouldProcess(container.Name, "Stop container"))
            return;
        var stopped = Lifecycle.Stop(container.Id, TimeSpan.FromSeconds(Timeout), signal);
        if (PassThru)
            WriteContainer(stopped);
    }
}
