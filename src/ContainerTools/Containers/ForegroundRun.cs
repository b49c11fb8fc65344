using System.Management.Automation;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Containers;

/// <summary>
/// A cmdlet attached to a container in the foreground as to a native command (docker run, docker start -a): its
/// stdout to the pipeline as strings, its stderr to the error stream, $LASTEXITCODE its exit code, Ctrl+C stops it.
/// Made BEFORE the container starts: it marks where the log ends then, so the first lines of a fast command are
/// never missed and an earlier run's output is not shown again; and it attaches to an auto-remove container, so
/// its monitor leaves the output and exit code for us to read and we remove it after.
/// </summary>
internal sealed class ForegroundRun : IDisposable
{
    private readonly ContainerLifecycle _lifecycle;
    private readonly string _id;
    private readonly ContainerAttachment? _attachment;
    private readonly long _logStart;

    public ForegroundRun(ContainerLifecycle lifecycle, ContainerSnapshot container)
    {
        _lifecycle = lifecycle;
        _id = container.Id;
        _attachment = container.Record.AutoRemove ? lifecycle.Attach(container.Id) : null;
        _logStart = LogFollower.End(lifecycle.Store, container.Id);
    }

    /// <summary>
    /// Starts the container. When it cannot, $LASTEXITCODE says why the command never ran, as docker run's exit code
    /// does (126 not executable, 127 not found or the init failed before it, 125 the engine itself).
    /// </summary>
    public static ContainerSnapshot Start(PSCmdlet cmdlet, ContainerLifecycle lifecycle, string id)
    {
        try
        {
            return lifecycle.Start(id);
        }
        catch
        {
            SetExitCode(cmdlet, lifecycle.Store.Read(id)?.State.ExitCode ?? 125);
            throw;
        }
    }

    /// <summary>Writes the container's output through <paramref name="cmdlet"/> until it has ended and sets $LASTEXITCODE.</summary>
    public void Follow(PSCmdlet cmdlet, CancellationToken cancel)
    {
        try
        {
            foreach (var entry in LogFollower.Read(_lifecycle.Store, _id, follow: true, cancel, _logStart))
            {
                if (entry.Stream == LogEntry.Stderr)
                    cmdlet.WriteError(new ErrorRecord(new RemoteException(entry.Log), "NativeCommandError", ErrorCategory.NotSpecified, entry.Log));
                else
                    cmdlet.WriteObject(entry.Log);
            }
            var ended = _lifecycle.Wait(_id, null, cancel);
            SetExitCode(cmdlet, ended.State.ExitCode ?? -1);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C stops the container, as it would a foreground `docker run`.
            _lifecycle.Stop(_id);
        }
        finally
        {
            // Another session still attached (Wait-Container) removes it when it sees the end.
            if (_attachment is not null && _attachment.IsLast())
                _lifecycle.Remove(_id, force: true);
        }
    }

    private static void SetExitCode(PSCmdlet cmdlet, int code) => cmdlet.SessionState.PSVariable.Set("global:LASTEXITCODE", code);

    public void Dispose() => _attachment?.Dispose();
}
