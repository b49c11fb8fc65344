using System.Diagnostics;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Runs a command inside a running container. A dedicated thread joins the container's PID namespace (so
/// its child is born there) and starts `ctmon exec`, which joins the cgroup and the other namespaces itself,
/// the mount namespace last, and execs: no managed code of ours ever runs with the container as its root.
/// The helper runs from a <see cref="SealedExecutable"/> copy, as the init does (CVE-2019-5736).
/// A failure before the command runs (user, working directory, command) comes from
/// <see cref="ExecProcess.WaitForStart"/>, on a report pipe of its own rather than in the command's stderr.
/// </summary>
public sealed class ContainerExec(ContainerStore store, string helperExecutable)
{
    public ExecProcess Start(string nameOrId, ExecOptions options)
    {
        var container = store.Find(nameOrId);
        var spec = ExecSpec.For(RuntimeSpec.Load(store.Paths(container.Id).Config), options);
        var init = container.IsRunning ? container.State.Init : null;
        if (init is null)
            throw new EngineException("ContainerNotRunning", ErrorKind.InvalidOperation, container.Name, $"container {container.Name} is not running");
        if (options.Input && (options.Detach || options.Terminal is not null))
            throw new EngineException("InputToDetachedOrTerminal", ErrorKind.InvalidArgument, container.Name,
                "piped input goes only to a command that is neither detached nor interactive (its input is then the terminal)");
        var terminal = OpenTerminal(container.Name, init, options);
        try
        {
            return Launch(container.Name, init, terminal, options.Input, new ExecRequest { InitPid = init.Pid, CgroupPath = Cgroups.PathFor(container.Id), Spec = spec,
                ContainerDirectory = store.Paths(container.Id).Directory, Detach = options.Detach, Terminal = terminal?.Number });
        }
        catch
        {
            terminal?.Dispose();
            throw;
        }
    }

    private ExecProcess Launch(string containerName, ProcessIdentity init, PseudoTerminal? terminal, bool input, ExecRequest request)
    {
        int reportRead;
        Process? process;
        lock (ChildStarts.Gate)
        {
            (reportRead, int reportWrite) = InheritedPipe.Create(childReads: false, "exec failure report");
            try
            {
                process = PidNamespaceStart.Start(init, Helper(request with { FailureReport = reportWrite }));
            }
            catch
            {
                Linux.close(reportRead);
                throw;
            }
            finally
            {
                // Ours closed, the pipe ends when the helper execs the command or exits.
                Linux.close(reportWrite);
            }
        }
        if (process is null)
        {
            Linux.close(reportRead);
            throw new EngineException("ContainerNotRunning", ErrorKind.InvalidOperation, containerName, $"container {containerName} is not running");
        }
        if (!input)
            process.StandardInput.Close();
        return new ExecProcess(containerName, process, terminal, reportRead);
    }

    private ProcessStartInfo Helper(ExecRequest request) =>
        new(SealedExecutable.SharedPathOf(helperExecutable))
        {
            ArgumentList = { "exec", request.ToJson() },
            // Our stdin is pwsh's (maybe a terminal): the helper gets a pipe of its own, closed at once unless
            // the caller writes the command's input to it.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

    /// <summary>The pseudo-terminal an interactive command gets, after checking there is a terminal to connect it to.</summary>
    private static PseudoTerminal? OpenTerminal(string container, ProcessIdentity init, ExecOptions options)
    {
        if (options.Terminal is not { } host)
            return null;
        if (options.Detach)
            throw new EngineException("DetachedTerminal", ErrorKind.InvalidArgument, container, "a detached command cannot be connected to a terminal");
        if (!host.IsTerminal)
            throw new EngineException("NoTerminal", ErrorKind.InvalidOperation, container,
                $"an interactive command in {container} needs a terminal, but this PowerShell's input or output is redirected");
        return PseudoTerminal.OpenIn(init.Pid, host.Size);
    }
}
