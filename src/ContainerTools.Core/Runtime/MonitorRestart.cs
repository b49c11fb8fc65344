using ContainerTools.Core.Native;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// A restart by the container's restart policy: its monitor, the last run ended and its back-off waited out,
/// execve's itself into `ctmon restart ROOT RUNROOT ID`, a fresh monitor of the same pid that starts the next run
/// as a start's monitor does (its own cgroup, networks and init), counting the restart.
/// </summary>
public static class MonitorRestart
{
    public const string Mode = "restart";

    /// <summary>Returns only when execve failed: why, for the record.</summary>
    public static string Exec(StoreLocation store, string id)
    {
        // SIGHUP stays ignored across execve, where a handler would not, until the fresh monitor registers its own.
        Linux.signal(Signals.SIGHUP, 1 /* SIG_IGN */);
        int errno = SelfExec.Run([Mode, store.Root, store.RunRoot, id]);
        return new NativeCallException("execve", "/proc/self/exe", errno).Message;
    }
}
