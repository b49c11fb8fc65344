using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>Stop-Container: the stop signal, then SIGKILL after -Timeout seconds, as `docker stop`.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Container", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ContainerInfo))]
public sealed class StopContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Seconds to wait after the stop signal before SIGKILL; the container's -StopTimeout (10 unless given) when omitted.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

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
        var stopped = Lifecycle.Stop(container.Id, Timeout is int seconds ? TimeSpan.FromSeconds(seconds) : null, signal);
        if (PassThru)
            WriteContainer(stopped);
    }
}
