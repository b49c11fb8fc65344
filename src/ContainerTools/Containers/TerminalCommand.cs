using System.Management.Automation;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Containers;

/// <summary>
/// What Enter-Container and Invoke-ContainerCommand -Interactive do with a command started on a terminal:
/// connect pwsh's console to it until it exits, then report what failed before it could start and set
/// $LASTEXITCODE, as for a native command.
/// </summary>
internal static class TerminalCommand
{
    public static void Run(PSCmdlet cmdlet, ExecProcess process, CancellationToken cancel)
    {
        int exitCode = process.Attach(HostTerminal.Standard, cancel);
        foreach (var output in process.Output(cancel))
            cmdlet.WriteError(new ErrorRecord(new RemoteException(output.Line), "NativeCommandError", ErrorCategory.NotSpecified, output.Line));
        cmdlet.SessionState.PSVariable.Set("global:LASTEXITCODE", exitCode);
    }
}
