using ContainerTools.Core.Isolation.UserNamespaces;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>
/// Starts `ctrun init` in a user namespace (ctrun is multithreaded: see <see cref="UserNamespaceClone"/>). Its
/// own thread (<see cref="InitThread"/>) joins the namespaces given by path (as host root, before the user
/// namespace), clones the init into a new user namespace with the other new namespaces, or into the joined
/// one (it unshares them after joining, so they are that namespace's), writes the config's maps from outside,
/// releases it, and then waits for it. The init inherits our stdio. The bundle's rootfs is used as given,
/// never chowned.
/// </summary>
public static class OciUserNamespaceInit
{
    /// <returns>The init's pid and its exit code once it ends.</returns>
    public static (int Pid, Task<int> Exited) Start(string executable, IReadOnlyList<string> arguments, OciNamespaces namespaces, SpecLinux linux,
        IReadOnlyList<(int Fd, int Type)> join) =>
        InitThread.Start(() => Clone(executable, arguments, namespaces, linux, join), pid => pid);

    private static unsafe int Clone(string executable, IReadOnlyList<string> arguments, OciNamespaces namespaces, SpecLinux linux, IReadOnlyList<(int Fd, int Type)> join)
    {
        int ownPidNamespace = Errno.Check(Linux.openat(Linux.AT_FDCWD, "/proc/thread-self/ns/pid", Linux.O_RDONLY | Linux.O_CLOEXEC, 0), "open", "/proc/thread-self/ns/pid");
        int userNamespace = namespaces.UserPath is { } path
            ? Errno.Check(Linux.openat(Linux.AT_FDCWD, path, Linux.O_RDONLY | Linux.O_CLOEXEC, 0), "open", path)
            : -1;
        int* release = stackalloc int[2];
        Errno.Check(Linux.pipe2(release, Linux.O_CLOEXEC), "pipe2");
        int pid = -1;
        try
        {
            foreach (var (fd, type) in join)
                Errno.Check(Linux.setns(fd, type), "setns", type.ToString(System.Globalization.CultureInfo.InvariantCulture));
            pid = UserNamespaceClone.Start(executable, arguments, namespaces.Unshare, [0, 1, 2], release[0], userNamespace);
            if (namespaces.NewUser)
                UserNamespaceMaps.Write(pid, linux.UidMappings ?? [], linux.GidMappings ?? []);
            byte go = 1;
            Errno.Check((int)Linux.write(release[1], &go, 1), "write", "release");
            return pid;
        }
        catch
        {
            if (pid > 0)
            {
                Linux.kill(pid, Signals.SIGKILL);
                int status;
                Linux.waitpid(pid, &status, 0);
            }
            throw;
        }
        finally
        {
            Linux.close(release[0]);
            Linux.close(release[1]);
            if (userNamespace >= 0)
                Linux.close(userNamespace);
            // A joined pid namespace is only for the init: this thread goes back to ours.
            Errno.Check(Linux.setns(ownPidNamespace, Linux.CLONE_NEWPID), "setns", "pid");
            Linux.close(ownPidNamespace);
        }
    }
}
