using System.Management.Automation;

namespace ContainerTools.Containers;

/// <summary>A cmdlet that stops its containers first (Stop-Container, Restart-Container): their -Timeout and -PassThru.</summary>
public abstract class ContainerStopCmdlet : ContainerTargetCmdlet
{
    /// <summary>Seconds to wait after the stop signal before SIGKILL; the container's -StopTimeout (10 unless given) when omitted.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>-Timeout as the core takes it: null leaves it to the container.</summary>
    protected TimeSpan? StopTimeout => Timeout is int seconds ? TimeSpan.FromSeconds(seconds) : null;
}
