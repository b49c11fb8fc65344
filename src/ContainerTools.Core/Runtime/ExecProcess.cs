using System.Collections.Concurrent;
using System.Diagnostics;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>One line a command in a container wrote, and on which stream.</summary>
public sealed record ExecOutput(bool IsError, string Line);

/// <summary>
/// A command started in a container by <see cref="ContainerExec"/>: its output lines in the order they
/// arrive (stdout and stderr read at once, so neither pipe fills and blocks it), then its exit code.
/// An interactive command has a pseudo-terminal instead: its pipes carry only errors from before its start.
/// </summary>
/// <param name="failureReport">The read end of the helper's <see cref="ExecRequest.FailureReport"/>, owned from here on.</param>
public sealed class ExecProcess(string containerName, Process process, PseudoTerminal? terminal, int failureReport) : IDisposable
{
    public string ContainerName { get; } = containerName;

    /// <summary>The helper's pid on the host, which becomes the command's pid.</summary>
    public int HostPid => process.Id;

    // Not disposed: after a cancel the pumps may still add until the killed command closes its pipes.
    private BlockingCollection<ExecOutput>? _lines;
    private Task[] _pumps = [];
    private bool _inputEnded;
    private int _failureReport = failureReport;

    /// <summary>
    /// Waits until the command is exec'd in the container. A failure before (user, working directory, command) is
    /// an <see cref="ExecStartException"/>, thrown once the helper that reported it has exited: nothing is left running.
    /// <paramref name="cancel"/> (Ctrl+C) kills a helper still held before its command (joining a frozen cgroup, say),
    /// so the command never starts, and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public unsafe void WaitForStart(CancellationToken cancel = default)
    {
        if (_failureReport < 0)
            return;
        // In slices, so a cancel is seen: the report ends (or comes) only once the helper gets that far.
        var poll = new Linux.PollFd { Fd = _failureReport, Events = Linux.POLLIN };
        while (Linux.poll(&poll, 1, 200) <= 0)
        {
            if (cancel.IsCancellationRequested)
            {
                Kill();
                cancel.ThrowIfCancellationRequested();
            }
        }
        var failure = ExecFailure.ReadFrom(_failureReport);
        _failureReport = -1;
        if (failure is null)
            return;
        process.WaitForExit();
        throw new ExecStartException(failure, ContainerName);
    }

    /// <summary>Yields lines until both streams end; call from one thread (a cmdlet's pipeline thread).</summary>
    public IEnumerable<ExecOutput> Output(CancellationToken cancel = default)
    {
        foreach (var line in Lines().GetConsumingEnumerable(cancel))
            yield return line;
        Task.WaitAll(_pumps);
    }

    /// <summary>The lines that have arrived so far, without waiting for more: output streams on while input is still being written.</summary>
    public IEnumerable<ExecOutput> OutputSoFar()
    {
        var lines = Lines();
        while (lines.TryTake(out var line))
            yield return line;
    }

    /// <summary>
    /// Writes to the command's stdin (started with <see cref="ExecOptions.Input"/>), blocking while its pipe is
    /// full. A command that has exited or closed its stdin takes nothing more, silently, as with a native command.
    /// </summary>
    public void WriteInput(ReadOnlySpan<byte> data)
    {
        if (_inputEnded)
            return;
        try
        {
            Linux.WriteAll((int)ChildStdio.Handle(process.StandardInput.BaseStream).DangerousGetHandle(), data, $"stdin of the command in {ContainerName}");
        }
        catch (NativeCallException e) when (e.Errno == Errno.EPIPE)
        {
            _inputEnded = true;
        }
    }

    /// <summary>Ends the command's input: it reads end of file once it has read what was written.</summary>
    public void CloseInput()
    {
        _inputEnded = true;
        process.StandardInput.Close();
    }

    private BlockingCollection<ExecOutput> Lines()
    {
        if (_lines is not null)
            return _lines;
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
        _pumps = [Task.Run(() => Pump(process.StandardOutput, false)), Task.Run(() => Pump(process.StandardError, true))];
        return _lines = lines;
    }

    /// <summary>Waits for the command; its exit code, or 128+signal when a signal ended it.</summary>
    public int WaitForExit()
    {
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Ends the command (SIGKILL), as Ctrl+C on a cmdlet waiting for it must.</summary>
    public void Kill() => process.Kill();

    /// <summary>
    /// Connects an interactive command to the host's terminal until it exits (or <paramref name="cancel"/>,
    /// which kills it); its exit code.
    /// </summary>
    public int Attach(HostTerminal host, CancellationToken cancel)
    {
        if (terminal is null)
            throw new InvalidOperationException("the command was started without a terminal");
        int exited = Linux.pidfd_open(process.Id);
        // ESRCH: it has already exited and been reaped, and there is nothing left to relay.
        if (exited < 0 && Errno.Last != Errno.ESRCH)
            throw new NativeCallException("pidfd_open", $"pid {process.Id}", Errno.Last);
        try
        {
            if (exited >= 0)
                TerminalRelay.Run(host, terminal, exited, cancel);
        }
        finally
        {
            if (exited >= 0)
                Linux.close(exited);
        }
        if (cancel.IsCancellationRequested)
            Kill();
        return WaitForExit();
    }

    public void Dispose()
    {
        if (_failureReport >= 0)
            Linux.close(_failureReport);
        _failureReport = -1;
        process.Dispose();
        terminal?.Dispose();
    }
}
