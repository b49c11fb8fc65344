using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Invoke-ContainerImage: `docker run`. In the foreground the container's stdout goes to the pipeline and
/// its stderr to the error stream, as a native command's, and $LASTEXITCODE is its exit code. With
/// -Interactive (docker run -it) its command gets a terminal connected to this one instead.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerImage")]
[OutputType(typeof(string), typeof(ContainerInfo))]
public sealed class InvokeContainerImageCommand : ContainerCreationCmdlet
{

    /// <summary>Deletes the container once it has exited: here in the foreground, by its monitor when detached (or when this session ends first).</summary>
    [Parameter]
    public SwitchParameter Remove { get; set; }

    /// <summary>Returns the running container at once instead of its output.</summary>
    [Parameter]
    public SwitchParameter Detach { get; set; }

    /// <summary>Connects the container's command to this terminal (a pty of its own, window size, Ctrl+C), as docker run -it.</summary>
    [Parameter]
    public SwitchParameter Interactive { get; set; }

    protected override void ProcessRecord() => TryTerminating(() =>
    {
        if (Interactive)
        {
            if (Detach)
                throw new EngineException("DetachedTerminal", ErrorKind.InvalidArgument, Image, "a detached container cannot be connected to a terminal: use -Interactive or -Detach");
            InteractiveStart.RequireTerminal(HostTerminal.Standard, Image);
            var created = CreateContainer(terminal: true, autoRemove: Remove);
            // A foreground run of an auto-remove container removes it itself, after reading its exit code.
            using (Remove ? Lifecycle.Attach(created.Id) : null)
                RunInteractive(created);
            return;
        }
        var container = CreateContainer(autoRemove: Remove);
        using var foreground = Detach ? null : new ForegroundRun(Lifecycle, container);
        try
        {
            container = ForegroundRun.Start(this, Lifecycle, container.Id);
        }
        catch
        {
            if (Remove)
                Lifecycle.Remove(container.Id, force: true);
            throw;
        }
        if (Detach)
            WriteObject(new ContainerInfo(container));
        else
            foreground!.Follow(this, StopToken);
    });

    private void RunInteractive(ContainerSnapshot container)
    {
        try
        {
            var ended = new InteractiveStart(Lifecycle).Run(container.Id, HostTerminal.Standard, StopToken);
            if (StopToken.IsCancellationRequested)
                Lifecycle.Stop(container.Id);
            else
                SessionState.PSVariable.Set("global:LASTEXITCODE", ended.State.ExitCode ?? -1);
        }
        finally
        {
            if (Remove)
                Lifecycle.Remove(container.Id, force: true);
        }
    }


}
