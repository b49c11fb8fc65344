using System.Collections;
using System.Management.Automation;
using ContainerTools.Containers;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Enter-Container: `docker exec -it c sh`. A shell (or any command) in a running container on a terminal of
/// its own, connected to this console until it exits; $LASTEXITCODE is its exit code.
/// </summary>
[Cmdlet(VerbsCommon.Enter, "Container")]
[OutputType(typeof(void))]
public sealed class EnterContainerCommand : ContainerToolsCmdlet
{
    private readonly CancellationTokenSource _stopping = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = ["/bin/sh"];

    /// <summary>uid[:gid] or name[:group], looked up in the container's /etc/passwd.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        var options = new ExecOptions
        {
            Command = Command,
            User = User,
            Environment = Environment?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? ""),
            WorkingDirectory = WorkingDirectory,
            Terminal = HostTerminal.Standard,
        };
        using var process = new ContainerExec(new ContainerStore(Store), ContainerTargetCmdlet.MonitorExecutable).Start(Name, options);
        TerminalCommand.Run(this, process, _stopping.Token);
    });

    protected override void StopProcessing() => _stopping.Cancel();

    protected override void EndProcessing() => _stopping.Dispose();
}
