using System.Management.Automation;
using ContainerTools.Containers;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Enter-Container: `docker exec -it c sh`. A shell (or any command) in a running container on a terminal of
/// its own, connected to this console until it exits; $LASTEXITCODE is its exit code.
/// </summary>
[Cmdlet(VerbsCommon.Enter, "Container")]
[OutputType(typeof(void))]
public sealed class EnterContainerCommand : ExecCmdlet
{
    [Parameter(Position = 1)]
    // Empty arguments are arguments ('' is one for docker exec too); the core refuses an empty command.
    [ValidateNotNull]
    public string[] Command { get; set; } = ["/bin/sh"];

    protected override void ProcessRecord() => Try(() =>
    {
        using var process = StartExec(Command, detach: false, terminal: true);
        RunOnTerminal(process);
    });
}
