using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Clones a container's init from a thread of its own, which then waits for it: the thread that made a
/// process must outlive it (its parent-death signal is tied to that thread), and reaps it with waitpid.
/// </summary>
public static class InitThread
{
    /// <param name="clone">Makes the init (on the new thread) and returns what stands for it.</param>
    /// <param name="pidOf">The init's pid in what <paramref name="clone"/> returned.</param>
    /// <param name="calls">Served on the new thread while the init runs, if given.</param>
    /// <returns>What <paramref name="clone"/> returned, and the init's exit code once it ends.</returns>
    public static (T Started, Task<int> Exited) Start<T>(Func<T> clone, Func<T, int> pidOf, InitThreadCalls? calls = null)
    {
        var started = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            T init;
            try
            {
                init = clone();
            }
            catch (Exception e)
            {
                started.SetException(e);
                return;
            }
            started.SetResult(init);
            calls?.ServeUntilExit(pidOf(init));
            exited.SetResult(WaitFor(pidOf(init)));
        }) { IsBackground = true, Name = "container init" };
        thread.Start();
        return (started.Task.GetAwaiter().GetResult(), exited.Task);
    }

    /// <summary>Reaps a child (waitpid) and returns its exit code.</summary>
    internal static unsafe int WaitFor(int pid)
    {
        int status;
        while (Linux.waitpid(pid, &status, 0) < 0 && Errno.Last == Errno.EINTR)
        {
        }
        return Linux.ExitCodeOf(status);
    }
}
