using System.Globalization;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// What a monitor's steady state needs, handed across its execve into `ctmon watch`: the init (still its child:
/// same pid, so the init keeps its parent), the init's output pipes and the monitor's lock, as inherited
/// descriptors, and when the container started. The fresh image touches only the pump's and the end's pages and
/// starts with an empty heap, where the monitor that started the container keeps every page setup touched.
/// </summary>
public sealed record MonitorHandOver(int InitPid, int Output, int Error, int Lock, DateTime StartedAt)
{
    public const string Mode = "watch";

    private const nint SIG_IGN = 1;

    /// <summary>`watch ROOT RUNROOT ID PID OUTPUT ERROR LOCK STARTED`, after the executable's name.</summary>
    public IReadOnlyList<string> Arguments(Store.StoreLocation store, string id) =>
    [
        Mode, store.Root, store.RunRoot, id, Number(InitPid), Number(Output), Number(Error), Number(Lock),
        StartedAt.Ticks.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>Reads what <see cref="Arguments"/> wrote, from the PID on (args[4..]).</summary>
    public static MonitorHandOver Parse(IReadOnlyList<string> values) => new(
        int.Parse(values[0], CultureInfo.InvariantCulture), int.Parse(values[1], CultureInfo.InvariantCulture),
        int.Parse(values[2], CultureInfo.InvariantCulture), int.Parse(values[3], CultureInfo.InvariantCulture),
        new DateTime(long.Parse(values[4], CultureInfo.InvariantCulture), DateTimeKind.Utc));

    /// <summary>The namespaces the init's thread unshared to start the init in them (the PID namespace it left at once).</summary>
    private static readonly (string Name, int Type)[] ThreadNamespaces =
        [("mnt", Linux.CLONE_NEWNS), ("uts", Linux.CLONE_NEWUTS), ("ipc", Linux.CLONE_NEWIPC), ("net", Linux.CLONE_NEWNET)];

    /// <summary>On the monitor's main thread: its own namespaces, for the init's thread to return to before it execs.</summary>
    public static IReadOnlyList<SafeFileHandle> OpenHostNamespaces() =>
        [.. ThreadNamespaces.Select(ns => new SafeFileHandle(
            Errno.Check(Linux.openat(Linux.AT_FDCWD, "/proc/thread-self/ns/" + ns.Name, Linux.O_RDONLY | Linux.O_CLOEXEC, 0), "open", ns.Name), ownsHandle: true))];

    /// <summary>
    /// Execve's this process's own executable in watch mode; returns only when it did not (the init has ended, or
    /// execve failed), with all the rest of the monitor uses as it was. Must run on the init's parent thread (<see cref="InitThreadCalls"/>):
    /// the thread that execs becomes the process's only thread, so the init keeps its parent thread and with it
    /// its parent-death signal. That thread first goes back to the monitor's <paramref name="hostNamespaces"/>
    /// (<see cref="OpenHostNamespaces"/>): it is still in the container's mount, UTS, IPC and network namespaces,
    /// which the watcher would inherit. Never throws.
    /// </summary>
    public unsafe void Exec(IReadOnlyList<string> arguments, IReadOnlyList<SafeFileHandle> hostNamespaces)
    {
        byte* savedChild = stackalloc byte[Linux.SigactionSize];
        byte* savedHangup = stackalloc byte[Linux.SigactionSize];
        byte* action = stackalloc byte[Linux.SigactionSize];
        new Span<byte>(action, Linux.SigactionSize).Clear();
        // From here on .NET never hears of the init's end, so it cannot reap it and keep its exit code from the
        // watcher (System.Diagnostics.Process reaps on SIGCHLD); default SIGCHLD does not reap either.
        Linux.sigaction(Signals.SIGCHLD, action, savedChild);
        // SIGHUP stays ignored across execve, where a handler would not (the watcher installs none).
        *(nint*)action = SIG_IGN;
        Linux.sigaction(Signals.SIGHUP, action, savedHangup);
        int[] inherited = [Output, Error, Lock];
        try
        {
            // An init that ended before SIGCHLD was taken from .NET may be reaped by it at any moment: no hand-over.
            if (!IsRunning(InitPid))
                return;
            // setns(mnt) needs a thread with file system data of its own (a thread that started the init in a user
            // namespace shares the process's); it also sets this thread's root and working directory to that namespace's.
            Errno.Check(Linux.unshare(Linux.CLONE_FS), "unshare", "CLONE_FS");
            for (int i = 0; i < ThreadNamespaces.Length; i++)
                Errno.Check(Linux.setns((int)hostNamespaces[i].DangerousGetHandle(), ThreadNamespaces[i].Type), "setns", ThreadNamespaces[i].Name);
            foreach (int fd in inherited)
                Errno.Check(Linux.fcntl(fd, Linux.F_SETFD, 0), "fcntl", "hand-over");
            SelfExec.Run(arguments);
        }
        catch (NativeCallException)
        {
            // Nothing handed over: this monitor goes on as it was (the init's thread only waits from now on).
        }
        finally
        {
            foreach (int fd in inherited)
                Linux.fcntl(fd, Linux.F_SETFD, Linux.FD_CLOEXEC);
            Linux.sigaction(Signals.SIGHUP, savedHangup, null);
            Linux.sigaction(Signals.SIGCHLD, savedChild, null);
            // A SIGCHLD that came meanwhile went unheard: .NET checks its children again.
            Linux.kill(Environment.ProcessId, Signals.SIGCHLD);
        }
    }

    /// <summary>The watcher's name in ps/top (comm), which execve of /proc/self/exe would make "exe".</summary>
    public static unsafe void NameThisProcess()
    {
        fixed (byte* name = "ctmon\0"u8)
            Linux.prctl(Linux.PR_SET_NAME, (nuint)name, 0, 0, 0);
    }

    /// <summary>True while the init has not exited (neither a zombie nor reaped), asked without reaping it (WNOWAIT).</summary>
    private static unsafe bool IsRunning(int pid)
    {
        byte* info = stackalloc byte[Linux.SiginfoSize];
        new Span<byte>(info, Linux.SiginfoSize).Clear();
        return Linux.waitid(Linux.P_PID, pid, info, Linux.WEXITED | Linux.WNOHANG | Linux.WNOWAIT) == 0
            && *(int*)(info + Linux.SiginfoPidOffset) == 0;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
