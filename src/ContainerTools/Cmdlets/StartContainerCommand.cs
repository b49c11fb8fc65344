using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Start-Container: starts created or exited containers; returns when each runs (or failed to start). With
/// -Attach (docker start -a) it starts one container and stays in the foreground until it exits, as
/// Invoke-ContainerImage does: its output to the pipeline and the error stream, its exit code in $LASTEXITCODE.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "Container", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ContainerInfo), typeof(string))]
public sealed class StartContainerCommand : ContainerTargetCmdlet
{
    private readonly List<string> _toAttach = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Stays attached to the one container started (or already running) until it exits.</summary>
    [Parameter]
    public SwitchParameter Attach { get; set; }

    protected override void BeginProcessing()
    {
        // The pipeline carries the container's output: its object would be mixed into it.
        if (Attach && PassThru)
            ThrowTerminatingError(ErrorRecords.From(new EngineException("AttachWithPassThru", ErrorKind.InvalidArgument, null,
                "-Attach writes the container's output: it cannot be used with -PassThru")));
    }

    protected override void Process(string target)
    {
        var container = Lifecycle.Store.Find(target);
        if (!ShouldProcess(container.Name, "Start container"))
            return;
        // Attaching waits until every target is known: more than one is refused before any starts.
        if (Attach)
        {
            _toAttach.Add(container.Name);
            return;
        }
        var started = Lifecycle.Start(container.Id);
        if (PassThru)
            WriteContainer(started);
    }

    protected override void EndProcessing()
    {
        if (Attach && _toAttach.Count > 0)
            TryTerminating(AttachToOne);
    }

    private void AttachToOne()
    {
        if (_toAttach.Count > 1)
            throw new EngineException("AttachMultiple", ErrorKind.InvalidArgument, string.Join(", ", _toAttach),
                "you cannot start and attach multiple containers at once");
        var container = Lifecycle.Store.Find(_toAttach[0]);
        using var foreground = new ForegroundRun(Lifecycle, container);
        ForegroundRun.Start(this, Lifecycle, container.Id);
        foreground.Follow(this, StopToken);
    }
}
