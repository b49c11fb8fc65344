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
/// The helper runs from a <see cref="SealedExecutable"/> copy, as the init does (CVE-2019-5736).
/// </summary>
public sealed class ContainerExec(ContainerStore store, string helperExecutable)
{
    public ExecProcess Start(string nameOrId, ExecOptions options)
    {
        var container = store.Find(nameOrId);
        var spec = ExecSpec.For(RuntimeSpec.Load(store.Paths(container.Id).Config), options);
        var init = container.IsRunning ? container.State.Init : null;
        using var pidNamespace = init is null ? null : OpenPidNamespace(init);
        if (pidNamespace is null)
            throw new EngineException("ContainerNotRunning", ErrorKind.InvalidOperation, container.Name, $"container {container.Name} is not running");
        var request = new ExecRequest { InitPid = init!.Pid, CgroupPath = Cgroups.PathFor(container.Id), Spec = spec,
            ContainerDirectory = store.Paths(container.Id).Directory, Detach = options.Detach };
        var start = new ProcessStartInfo(SealedExecutable.SharedPathOf(helperExecutable))
        {
            ArgumentList = { "exec", request.ToJson() },
            // Our stdin is pwsh's (maybe a terminal): the command gets a pipe of its own, closed at once.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = StartInPidNamespace(start, pidNamespace);
        process.StandardInput.Close();
        return new ExecProcess(container.Name, process);
    }

    /// <summary>The init's PID namespace, opened only while the init is still the process recorded.</summary>
    private static SafeNamespace? OpenPidNamespace(ProcessIdentity init)
    {
        int fd = Linux.openat(Linux.AT_FDCWD, $"/proc/{init.Pid}/ns/pid", Linux.O_RDONLY | Linux.O_CLOEXEC, 0);
        if (fd < 0)
            return null;
        var ns = new SafeNamespace(fd);
        if (init.IsAlive)
            return ns;
        ns.Dispose();
        return null;
    }

    private static Process StartInPidNamespace(ProcessStartInfo start, SafeNamespace pidNamespace)
    {
        SignalHandling.EnsureInitialised();
        Process? started = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var own = new SafeNamespace(Errno.Check(Linux.openat(Linux.AT_FDCWD, "/proc/thread-self/ns/pid", Linux.O_RDONLY | Linux.O_CLOEXEC, 0), "open", "/proc/thread-self/ns/pid"));
                Errno.Check(Linux.setns(pidNamespace.Fd, Linux.CLONE_NEWPID), "setns", "pid");
                try
                {
                    started = Process.Start(start);
                }
                finally
                {
                    // A thread whose children's PID namespace is not its own cannot create threads: go back at once.
                    Errno.Check(Linux.setns(own.Fd, Linux.CLONE_NEWPID), "setns", "pid");
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = "container exec" };
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw failure;
        return started!;
    }

    /// <summary>A namespace file descriptor, closed when disposed.</summary>
    private sealed class SafeNamespace(int fd) : SafeHandle(fd, ownsHandle: true)
    {
        public int Fd => (int)handle;
        public override bool IsInvalid => handle < 0;
        protected override bool ReleaseHandle() => Linux.close((int)handle) == 0;
    }
}
