using System.Diagnostics;
using System.Runtime.InteropServices;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Runs a command inside a running container. A dedicated thread joins the container's PID namespace (so
/// its child is born there) and starts `ctmon exec`, which joins the cgroup and the other namespaces itself,
/// the mount namespace last, and execs: no managed code of ours ever runs with the container as its root.
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
        var request = new ExecRequest { InitPid = init!.Pid, CgroupPath = Cgroups.PathFor(container.Id), Spec = spec,
            ContainerDirectory = store.Paths(container.Id).Directory, Detach = options.Detach };
        var start = new ProcessStartInfo(helperExecutable)
        {
            ArgumentList = { "exec", request.ToJson() },
            // Our stdin is pwsh's (maybe a terminal): the command gets a pipe of its own, closed at once.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = PidNamespaceStart.Start(init, start)
            ?? throw new EngineException("ContainerNotRunning", ErrorKind.InvalidOperation, container.Name, $"container {container.Name} is not running");
        process.StandardInput.Close();
        return new ExecProcess(container.Name, process);
    }
}
