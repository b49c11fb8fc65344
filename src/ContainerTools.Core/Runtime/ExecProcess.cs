using System.Collections.Concurrent;
using System.Diagnostics;

namespace ContainerTools.Core.Runtime;

/// <summary>One line a command in a container wrote, and on which stream.</summary>
public sealed record ExecOutput(bool IsError, string Line);

/// <summary>
/// A command started in a container by <see cref="ContainerExec"/>: its output lines in the order they
/// arrive (stdout and stderr read at once, so neither pipe fills and blocks it), then its exit code.
/// </summary>
public sealed class ExecProcess(string containerName, Process process) : IDisposable
{
    public string ContainerName { get; } = containerName;

    /// <summary>The helper's pid on the host, which becomes the command's pid.</summary>
    public int HostPid => process.Id;

    /// <summary>Yields lines until both streams end; call from one thread (a cmdlet's pipeline thread).</summary>
    public IEnumerable<ExecOutput> Output(CancellationToken cancel = default)
    {
        // Not disposed: after a cancel the pumps may still add until the killed command closes its pipes.
        var lines = new BlockingCollection<ExecOutput>();
        int open = 2;
        void Pump(StreamReader reader, bool isError)
        {
            try
            {
                while (reader.ReadLine() is { } line)
                    lines.Add(new ExecOutput(isError, line));
            }
            finally
            {
                if (Interlocked.Decrement(ref open) == 0)
                    lines.CompleteAdding();
            }
        }
        var stdout = Task.Run(() => Pump(process.StandardOutput, false));
        var stderr = Task.Run(() => Pump(process.StandardError, true));
        foreach (var line in lines.GetConsumingEnumerable(cancel))
            yield return line;
        Task.WaitAll(stdout, stderr);
    }

    /// <summary>Waits for the command; its exit code, or 128+signal when a signal ended it.</summary>
    public int WaitForExit()
    {
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Ends the command (SIGKILL), as Ctrl+C on a cmdlet waiting for it must.</summary>
    public void Kill() => process.Kill();

    public void Dispose() => process.Dispose();
}
