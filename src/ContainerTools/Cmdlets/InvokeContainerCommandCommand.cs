using System.Management.Automation;
using System.Text;
using ContainerTools.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Cmdlets;

/// <summary>
/// Invoke-ContainerCommand: `docker exec`. The command's stdout goes to the pipeline and its stderr to the
/// error stream, as a native command's, and $LASTEXITCODE is its exit code. Piped into with the container
/// named, it is `docker exec -i`: the pipeline is the command's stdin, as for a native command.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", DefaultParameterSetName = "Detach")]
[OutputType(typeof(string))]
public sealed class InvokeContainerCommandCommand : ExecCmdlet, IDisposable
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The command started for piped input, once, in BeginProcessing; null when its start failed.</summary>
    private ExecProcess? _fed;
    private bool _feeding;

    /// <summary>As docker exec takes it: the words after the container (sh -c 'ls'), or one array (sh,-c,'ls').</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromRemainingArguments = true)]
    // Empty arguments are arguments ('' is one for docker exec too); the core refuses an empty command.
    [AllowEmptyString]
    [ValidateNotNull]
    public string[] Command { get; set; } = [];

    /// <summary>Starts the command and returns at once; its output is discarded.</summary>
    [Parameter(ParameterSetName = "Detach")]
    public SwitchParameter Detach { get; set; }

    /// <summary>Gives the command a terminal connected to this console, as Enter-Container does.</summary>
    [Parameter(ParameterSetName = "Interactive")]
    public SwitchParameter Interactive { get; set; }

    /// <summary>
    /// The command's stdin when the container is named on the command line: a string is a line, a byte or
    /// byte[] goes as it is, anything else as its string. Piped containers (no -Name) bind here too, unused.
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    protected override void BeginProcessing()
    {
        // Named on the command line while something is piped in: the pipeline is input, not containers.
        _feeding = MyInvocation.ExpectingInput && MyInvocation.BoundParameters.ContainsKey(nameof(Name));
        // A container that cannot run commands stops the cmdlet; one whose command could not start is an error like
        // any other exec's, and the piped input goes nowhere.
        if (_feeding)
            TryTerminating(() =>
            {
                try
                {
                    _fed = StartExec(Command, Detach, Interactive, input: true);
                }
                catch (ExecStartException e)
                {
                    WriteError(ErrorRecords.From(e));
                }
            });
    }

    protected override void ProcessRecord()
    {
        if (!_feeding)
        {
            Try(() =>
            {
                using var process = StartExec(Command, Detach, Interactive);
                if (Interactive)
                    RunOnTerminal(process);
                else
                    WriteOutputUntilExit(process);
            });
            return;
        }
        Try(() =>
        {
            if (_fed is null || InputObject?.BaseObject is not { } input)
                return;
            // Ctrl+C while the command does not read (its pipe full) ends it, which ends the write.
            using (StopToken.Register(_fed.Kill))
                _fed.WriteInput(input switch
                {
                    byte[] bytes => bytes,
                    byte single => [single],
                    _ => Utf8.GetBytes(LanguagePrimitives.ConvertTo<string>(input) + "\n"),
                });
            foreach (var output in _fed.OutputSoFar())
                WriteOutput(output);
        });
    }

    protected override void EndProcessing()
    {
        if (_fed is not null)
        {
            Try(() =>
            {
                _fed.CloseInput();
                WriteOutputUntilExit(_fed);
            });
        }
        base.EndProcessing();
    }

    /// <summary>Also after Ctrl+C, when EndProcessing never runs.</summary>
    public void Dispose() => _fed?.Dispose();

    /// <summary>Writes the command's output as it comes, then sets $LASTEXITCODE (a detached command has neither).</summary>
    private void WriteOutputUntilExit(ExecProcess process)
    {
        try
        {
            // Detached, the output ends when the command has exec'd with /dev/null as its stdio.
            foreach (var output in process.Output(StopToken))
                WriteOutput(output);
            if (!Detach)
                SessionState.PSVariable.Set("global:LASTEXITCODE", process.WaitForExit());
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C ends the command, as it ends a native command in the foreground.
            process.Kill();
        }
    }

    private void WriteOutput(ExecOutput output)
    {
        if (output.IsError)
            WriteError(new ErrorRecord(new RemoteException(output.Line), "NativeCommandError", ErrorCategory.NotSpecified, output.Line));
        else
            WriteObject(output.Line);
    }
}
