using ContainerTools.Core.Native;
using Tmds.Linux;

namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>Signalling a group's processes and waiting for it to empty, shared by both drivers.</summary>
internal static class GroupProcesses
{
    private const int SIGKILL = 9;
    private static readonly TimeSpan EmptyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>SIGKILLs each process; one that exited in the meantime (ESRCH) is fine.</summary>
    public static void Kill(IEnumerable<int> pids)
    {
        foreach (int pid in pids)
        {
            int result = LibC.kill(pid, SIGKILL);
            if (result == -1 && Errno.Last != Errno.ESRCH)
                Errno.Check(result, "kill", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Freezes so nothing forks between reading the list and signalling it, kills, then thaws so the signals land.</summary>
    public static void FreezeAndKill(ICgroup group)
    {
        group.Freeze();
        try
        {
            Kill(group.ProcessIds());
        }
        finally
        {
            group.Thaw();
        }
    }

    public static void WaitUntilEmpty(ICgroup group)
    {
        var deadline = DateTime.UtcNow + EmptyTimeout;
        while (group.ProcessIds().Count > 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Processes {string.Join(", ", group.ProcessIds())} remained in cgroup {group.RelativePath} after SIGKILL.");
            Kill(group.ProcessIds());
            Thread.Sleep(10);
        }
    }

    /// <summary>Polls <paramref name="done"/> until it holds; the kernel freezes asynchronously.</summary>
    public static void WaitFor(Func<bool> done, string what, Action? nudge = null)
    {
        var deadline = DateTime.UtcNow + EmptyTimeout;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}.");
            Thread.Sleep(5);
            nudge?.Invoke();
        }
    }
}
