using System.Diagnostics;
using System.Globalization;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Oci;

/// <summary>
/// `exec`: runs a process (process.json or args) in a running container through the engine's exec helper
/// (ExecJoin), which inherits our stdio, or a pty of the container's whose master went to the console
/// socket. Detached, we return once it is started and the caller (conmon, a subreaper) reaps it; otherwise
/// we wait and return its exit code.
/// </summary>
public sealed class OciExec(OciStateDirectory states, string helperExecutable)
{
    public int Exec(string id, SpecProcess process, bool detach, string? pidFile, string? consoleSocket)
    {
        var container = new OciRuntime(states).Running(id);
        var spec = OciBundle.Load(container.Bundle) with { Process = process };
        if (process.Terminal && consoleSocket is null)
            throw new EngineException("ConsoleSocketRequired", ErrorKind.InvalidArgument, id, "--tty needs --console-socket");
        // Detached, the helper waits for our exit before it execs (the write end goes with us).
        (int Read, int Write)? hold = detach ? InheritedPipe.Create(childReads: true, "exec hold pipe") : null;
        var request = new ExecRequest { InitPid = container.Init.Pid, CgroupPath = container.CgroupPath, Spec = spec, ContainerDirectory = states.DirectoryOf(id), HoldUntilClosed = hold?.Read };
        using var executable = ContainerSideExecutable.For(helperExecutable, process.Capabilities);
        var start = new ProcessStartInfo(executable.Path) { ArgumentList = { "exec-join", request.ToJson() }, UseShellExecute = false };
        // The helper is born in this process's devices cgroup: the container's, so its device rules hold for it too.
        OciDeviceRules.AddProcess(container.CgroupPath, Environment.ProcessId);
        Process helper;
        // A pty of the container's devpts, as for its own process; the helper inherits the slave as its stdio.
        using (var terminal = process.Terminal ? PseudoTerminal.OpenIn(container.Init.Pid, default) : null)
        {
            if (terminal is not null)
                ConsoleSocket.Send(consoleSocket!, terminal);
            using var stdio = terminal is not null ? StdioSwap.To(terminal.Peer) : null;
            helper = PidNamespaceStart.Start(container.Init, start)
                ?? throw new EngineException("ContainerNotRunning", ErrorKind.InvalidOperation, id, "container not running");
        }
        if (hold is { } pipe)
            Linux.close(pipe.Read);
        if (pidFile is not null)
            AtomicFile.WriteAllText(Path.GetFullPath(pidFile), helper.Id.ToString(CultureInfo.InvariantCulture));
        if (detach)
            return 0;
        helper.WaitForExit();
        return helper.ExitCode;
    }
}
