using System.Diagnostics;
using System.Runtime.InteropServices;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Starts the container's init (`ctmon init`) in new namespaces: a dedicated thread unshares them and then
/// starts the child, so the child is PID 1 of its own PID namespace while the rest of this process is
/// untouched. The thread then waits for the child: it must outlive it, because the init's parent-death
/// signal is tied to the thread that created it. Signal handling must be initialised before (see DESIGN).
/// </summary>
public sealed class InitProcess : IInitProcess
{
    public const int Namespaces = Linux.CLONE_NEWNS | Linux.CLONE_NEWUTS | Linux.CLONE_NEWIPC | Linux.CLONE_NEWNET | Linux.CLONE_NEWPID;

    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private InitProcess(Process process) => Process = process;

    /// <summary>The init, its stdin (the release channel) and stdout/stderr (the container's output) redirected.</summary>
    public Process Process { get; }

    /// <summary>Completes with the exit code: 0-255, or 128+signal when a signal ended it.</summary>
    public Task<int> Exited => _exited.Task;

    public bool BornInCgroup { get; private set; }

    public InitThreadCalls ParentThread { get; } = new();

    public int Pid => Process.Id;
    public SafeHandle Output => ChildStdio.Handle(Process.StandardOutput.BaseStream);
    public SafeHandle Error => ChildStdio.Handle(Process.StandardError.BaseStream);

    /// <remarks>An init that died before it was released is no error here: its exit code tells the rest.</remarks>
    public void Release() => ChildStdio.WriteAndClose(Process, "1");

    public void Kill() => Process.Kill();

    /// <summary>Starts the init redirected; inside <paramref name="cgroup"/> from birth when the driver can do that.</summary>
    public static InitProcess Start(ProcessStartInfo start, int namespaces = Namespaces, ICgroup? cgroup = null) =>
        Start(start, namespaces, join: [], redirect: true, cgroup);

    /// <summary>
    /// Starts the init after joining the namespaces in <paramref name="join"/> (open namespace files and their
    /// CLONE_NEW* types: pid, net, ipc, uts) and unsharing <paramref name="namespaces"/>. Without
    /// <paramref name="redirect"/> the init inherits this process's stdio (what an OCI runtime's caller expects).
    /// </summary>
    public static InitProcess Start(ProcessStartInfo start, int namespaces, IReadOnlyList<(int Fd, int Type)> join, bool redirect, ICgroup? cgroup = null)
    {
        start.RedirectStandardInput = redirect;
        start.RedirectStandardOutput = redirect;
        start.RedirectStandardError = redirect;
        start.UseShellExecute = false;
        var started = new TaskCompletionSource<InitProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => Run(start, namespaces, join, cgroup, started)) { IsBackground = true, Name = "container init" };
        thread.Start();
        return started.Task.GetAwaiter().GetResult();
    }

    private static unsafe void Run(ProcessStartInfo start, int namespaces, IReadOnlyList<(int Fd, int Type)> join, ICgroup? cgroup, TaskCompletionSource<InitProcess> started)
    {
        InitProcess init;
        try
        {
            using var visit = cgroup?.EnterThisThread();
            int ownPidNamespace = Errno.Check(Linux.openat(-100, "/proc/thread-self/ns/pid", Linux.O_CLOEXEC, 0), "open", "/proc/thread-self/ns/pid");
            try
            {
                foreach (var (fd, type) in join)
                    Errno.Check(Linux.setns(fd, type), "setns", type.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Errno.Check(Linux.unshare(namespaces), "unshare");
                init = new InitProcess(Process.Start(start)!) { BornInCgroup = visit is not null };
            }
            finally
            {
                // After unshare(CLONE_NEWPID) this thread could not create threads; go back at once.
                Errno.Check(Linux.setns(ownPidNamespace, Linux.CLONE_NEWPID), "setns", "pid");
                Linux.close(ownPidNamespace);
            }
        }
        catch (Exception e)
        {
            started.SetException(e);
            return;
        }
        started.SetResult(init);
        init.ParentThread.ServeUntilExit(init.Pid);
        init.Process.WaitForExit();
        init._exited.SetResult(init.Process.ExitCode);
    }
}
