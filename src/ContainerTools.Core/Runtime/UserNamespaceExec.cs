using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// `ctmon exec` into a container with a user namespace of its own: this process cannot join it (a NativeAOT
/// process has threads), so a single-threaded clone joins it, becomes its root and runs `ctmon exec` again
/// from inside it, where the rest of the join goes as usual. This process, outside, waits for that one and
/// ends as it does; a detached exec needs no one outside.
/// </summary>
public static class UserNamespaceExec
{
    /// <summary>The argument that tells the `ctmon exec` started here that it is already inside.</summary>
    public const string Inside = "inside-user-namespace";

    /// <param name="failureReport">The caller's report descriptor, inherited by the clone and closed here once it has it:
    /// the caller must see its end at the command's exec, not at this process's exit.</param>
    public static unsafe int Run(int initPid, string requestJson, bool detach, int? failureReport)
    {
        string path = $"/proc/{initPid}/ns/user";
        int userNamespace = Errno.Check(Linux.openat(Linux.AT_FDCWD, path, Linux.O_RDONLY | Linux.O_CLOEXEC, 0), "open", path);
        int* release = stackalloc int[2];
        try
        {
            Errno.Check(Linux.pipe2(release, Linux.O_CLOEXEC), "pipe2");
            // Nothing to wait for: the namespace's maps exist. The byte is there before the clone reads.
            byte go = 1;
            Errno.Check((int)Linux.write(release[1], &go, 1), "write", "release");
            // /proc/self/exe: this process runs from the sealed copy, which has no path of its own.
            int pid = UserNamespaceClone.Start("/proc/self/exe", ["exec", requestJson, Inside], 0, [0, 1, 2], release[0], join: userNamespace);
            if (failureReport is int report)
                Linux.close(report);
            if (detach)
                return 0;
            int status;
            while (Linux.waitpid(pid, &status, 0) < 0)
            {
                if (Errno.Last != Errno.EINTR)
                    throw new NativeCallException("waitpid", null, Errno.Last);
            }
            return Linux.ExitCodeOf(status);
        }
        finally
        {
            Linux.close(release[0]);
            Linux.close(release[1]);
            Linux.close(userNamespace);
        }
    }
}
