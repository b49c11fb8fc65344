using System.Management.Automation;
using ContainerTools.Containers;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Invoke-ContainerCommand: `docker exec`. The command's stdout goes to the pipeline and its stderr to the
/// error stream, as a native command's, and $LASTEXITCODE is its exit code.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", DefaultParameterSetName = "Detach")]
[OutputType(typeof(string))]
public sealed class InvokeContainerCommandCommand : ExecCmdlet
{
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = [];

    /// <summary>Starts the command and returns at once; its output is discarded.</summary>
    [Parameter(ParameterSetName = "Detach")]
    public SwitchParameter Detach { get; set; }

    /// <summary>Gives the command a terminal connected to this console, as Enter-Container does.</summary>
    [Parameter(ParameterSetName = "Interactive")]
    public SwitchParameter Interactive { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        using var process = StartExec(Command, Detach, Interactive);
        if (Interactive)
        {
            RunOnTerminal(process);
            return;
        }
        try
        {
            // Detached, the output ends when the command has exec'd with /dev/null as its stdio.
            foreach (var output in process.Output(Cancelled))
            {
                if (output.IsError)
                    WriteError(new ErrorRecord(new RemoteException(output.Line), "NativeCommandError", ErrorCategory.NotSpecified, output.Line));
                else
                    WriteObject(output.Line);
            }
            if (!Detach)
                SessionState.PSVariable.Set("global:LASTEXITCODE", process.WaitForExit());
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C ends the command, as it ends a native command in the foreground.
            process.Kill();
        }
    });
}
