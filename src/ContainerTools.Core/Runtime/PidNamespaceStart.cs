using System.Diagnostics;
using System.Runtime.InteropServices;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Starts a helper born in a container's PID namespace: a dedicated thread joins it (so its child is born
/// there), starts the process and goes back at once. Used by exec from both front ends.
/// </summary>
public static class PidNamespaceStart
{
    /// <summary>The started process, or null when <paramref name="init"/> is no longer running.</summary>
    public static Process? Start(ProcessIdentity init, ProcessStartInfo start)
    {
        using var pidNamespace = OpenPidNamespace(init);
        return pidNamespace is null ? null : StartInPidNamespace(start, pidNamespace);
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
