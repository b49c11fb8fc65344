using System.Collections;
using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Invoke-ContainerCommand: `docker exec`. The command's stdout goes to the pipeline and its stderr to the
/// error stream, as a native command's, and $LASTEXITCODE is its exit code.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", DefaultParameterSetName = "Detach")]
[OutputType(typeof(string))]
public sealed class InvokeContainerCommandCommand : ContainerToolsCmdlet
{
    private readonly CancellationTokenSource _stopping = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = [];

    /// <summary>uid[:gid] or name[:group], looked up in the container's /etc/passwd.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>Starts the command and returns at once; its output is discarded.</summary>
    [Parameter(ParameterSetName = "Detach")]
    public SwitchParameter Detach { get; set; }

    /// <summary>Gives the command a terminal connected to this console, as Enter-Container does.</summary>
    [Parameter(ParameterSetName = "Interactive")]
    public SwitchParameter Interactive { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        var options = new ExecOptions
        {
            Command = Command,
            User = User,
            Environment = Environment?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? ""),
            WorkingDirectory = WorkingDirectory,
            Detach = Detach,
            Terminal = Interactive ? HostTerminal.Standard : null,
        };
        using var process = new ContainerExec(new ContainerStore(Store), ContainerTargetCmdlet.MonitorExecutable).Start(Name, options);
        if (Interactive)
        {
            TerminalCommand.Run(this, process, _stopping.Token);
            return;
        }
        try
        {
            // Detached, the output ends when the command is about to exec with /dev/null as its stdio.
            foreach (var output in process.Output(_stopping.Token))
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

    protected override void StopProcessing() => _stopping.Cancel();

    protected override void EndProcessing() => _stopping.Dispose();
}
