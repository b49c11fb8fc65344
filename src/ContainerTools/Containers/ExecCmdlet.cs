using System.Collections;
using System.Management.Automation;
using ContainerTools.Core;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;
using ContainerTools.Transforms;

namespace ContainerTools.Containers;

/// <summary>
/// What Enter-Container and Invoke-ContainerCommand share: the container, the process's user, environment and
/// working directory, starting it inside, and connecting pwsh's console to it when it has a terminal.
/// </summary>
public abstract class ExecCmdlet : ContainerToolsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>uid[:gid] or name[:group], looked up in the container's /etc/passwd.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    [NameValueTransformation]
    public Hashtable? Environment { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// The started command; a failure before it ran (user, working directory, command) is thrown as an
    /// ErrorRecord's exception after setting $LASTEXITCODE as docker exec does (126, 127): here, or for a command on
    /// a terminal by <see cref="RunOnTerminal"/> once the relay has ended.
    /// </summary>
    protected ExecProcess StartExec(string[] command, bool detach, bool terminal, bool input = false)
    {
        var process = Start(command, detach, terminal, input);
        // On a terminal the relay comes first (RunOnTerminal): a command quick to end would have ended before it, its output unread.
        if (!terminal)
            Started(process);
        return process;
    }

    /// <summary>
    /// Waits until the command runs; a failure before is thrown, the helper gone and $LASTEXITCODE set. Ctrl+C
    /// ends the wait, and the helper with it, as it ends every other wait of the module.
    /// </summary>
    private void Started(ExecProcess process)
    {
        try
        {
            process.WaitForStart(StopToken);
        }
        catch (Exception e)
        {
            process.Dispose();
            if (e is ExecStartException failed)
                SessionState.PSVariable.Set("global:LASTEXITCODE", failed.ExitCode);
            if (e is OperationCanceledException)
                throw new PipelineStoppedException();
            throw;
        }
    }

    private ExecProcess Start(string[] command, bool detach, bool terminal, bool input)
    {
        var store = new ContainerStore(Store);
        // A command started in a frozen cgroup freezes with it, and the cmdlet waiting on it for ever (docker
        // refuses too). The core allows it: a test freezes the exec helper on purpose to look at it.
        var container = store.Find(Name);
        if (container.Status == ContainerStatus.Paused)
            throw new EngineException("ContainerPaused", ErrorKind.InvalidOperation, container.Name, $"container {container.Name} is paused: resume it first (Resume-Container)");
        // By full id: the exec reads that container alone rather than finding it again among all.
        return new ContainerExec(store, ContainerTargetCmdlet.MonitorExecutable).Start(container.Id, new ExecOptions
        {
            Command = command,
            User = User,
            Environment = Environment?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? ""),
            WorkingDirectory = WorkingDirectory,
            Detach = detach,
            Input = input,
            Terminal = terminal ? HostTerminal.Standard : null,
        });
    }

    /// <summary>
    /// Connects pwsh's console to a command started on a terminal until it exits, then reports what failed
    /// before it could start and sets $LASTEXITCODE, as for a native command.
    /// </summary>
    protected void RunOnTerminal(ExecProcess process)
    {
        int exitCode = process.Attach(HostTerminal.Standard, StopToken);
        Started(process);
        foreach (var output in process.Output(StopToken))
            WriteError(new ErrorRecord(new RemoteException(output.Line), "NativeCommandError", ErrorCategory.NotSpecified, output.Line));
        SessionState.PSVariable.Set("global:LASTEXITCODE", exitCode);
    }
}
