using System.Runtime.InteropServices;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Starts an executable as root of a user namespace: the first process of a new one (and of the namespaces
/// it then owns), or a process joining an existing one. unshare and setns of a user namespace refuse a
/// multithreaded process (ctmon has runtime threads before Main), but clone does not, and its child is a
/// single-threaded copy: it makes only raw syscalls (as runc's nsexec), waits until its parent has written
/// the id maps and writes a byte on <c>release</c>, joins the namespace when asked, becomes its root, takes
/// its standard descriptors and execs.
/// </summary>
public static class UserNamespaceClone
{
    /// <summary>Exit codes of a child that failed before execve, one per step.</summary>
    public const int NotReleased = 120, SetIdsFailed = 121, StdioFailed = 122, ExecFailed = 123, JoinFailed = 124;

    /// <param name="namespaces">CLONE_NEW* flags for new namespaces (CLONE_NEWUSER is added); with <paramref name="join"/>
    /// they are unshared after joining, so the joined namespace owns them (CLONE_NEWPID is not allowed then).</param>
    /// <param name="join">An open user namespace to join instead of a new one, or -1.</param>
    /// <returns>The child's pid (a child of this process: wait for it with waitpid).</returns>
    public static unsafe int Start(string executable, IReadOnlyList<string> arguments, int namespaces, ReadOnlySpan<int> stdio, int release, int join = -1)
    {
        if (stdio.Length != 3)
            throw new ArgumentException("stdin, stdout and stderr", nameof(stdio));
        if (join >= 0 && (namespaces & Linux.CLONE_NEWPID) != 0)
            throw new ArgumentException("a joined user namespace cannot get a new pid namespace by unshare", nameof(namespaces));
        var strings = new List<nint>();
        try
        {
            nint Native(string s)
            {
                nint p = Marshal.StringToCoTaskMemUTF8(s);
                strings.Add(p);
                return p;
            }
            nint path = Native(executable);
            nint* argv = stackalloc nint[arguments.Count + 2];
            argv[0] = Native(executable);
            for (int i = 0; i < arguments.Count; i++)
                argv[i + 1] = Native(arguments[i]);
            argv[arguments.Count + 1] = 0;
            var variables = Environment.GetEnvironmentVariables();
            nint* envp = stackalloc nint[variables.Count + 1];
            int n = 0;
            foreach (System.Collections.DictionaryEntry v in variables)
                envp[n++] = Native($"{v.Key}={v.Value}");
            envp[n] = 0;
            int s0 = stdio[0], s1 = stdio[1], s2 = stdio[2];
            // Bind the entry now: the child cannot. (Only ctmon calls this: NativeAOT, so nothing is left to compile.)
            Linux.raw_syscall(Linux.SYS_getpid, 0, 0, 0, 0, 0);
            int flags = join >= 0 ? Linux.SIGCHLD : namespaces | Linux.CLONE_NEWUSER | Linux.SIGCHLD;
            long pid = Linux.raw_syscall(Linux.SYS_clone, flags, 0, 0, 0, 0);
            if (pid == 0)
                Child(path, argv, envp, s0, s1, s2, release, join, namespaces);
            if (pid < 0)
                throw new NativeCallException("clone", null, (int)-pid);
            return (int)pid;
        }
        finally
        {
            foreach (nint p in strings)
                Marshal.FreeCoTaskMem(p);
        }
    }

    /// <summary>The child: raw syscalls only, no allocation; never returns.</summary>
    private static unsafe void Child(nint path, nint* argv, nint* envp, int stdin, int stdout, int stderr, int release, int join, int namespaces)
    {
        byte go;
        long read;
        do
            read = Linux.raw_syscall(Linux.SYS_read, release, (nint)(&go), 1, 0, 0);
        while (read == -Errno.EINTR);
        if (read != 1)
            Linux.raw_syscall(Linux.SYS_exit_group, NotReleased, 0, 0, 0, 0);
        if (join >= 0 && Linux.raw_syscall(Linux.SYS_setns, join, Linux.CLONE_NEWUSER, 0, 0, 0) != 0)
            Linux.raw_syscall(Linux.SYS_exit_group, JoinFailed, 0, 0, 0, 0);
        if (join >= 0 && namespaces != 0 && Linux.raw_syscall(Linux.SYS_unshare, namespaces, 0, 0, 0, 0) != 0)
            Linux.raw_syscall(Linux.SYS_exit_group, JoinFailed, 0, 0, 0, 0);
        if (Linux.raw_syscall(Linux.SYS_setresgid, 0, 0, 0, 0, 0) != 0
            || Linux.raw_syscall(Linux.SYS_setgroups, 0, 0, 0, 0, 0) != 0
            || Linux.raw_syscall(Linux.SYS_setresuid, 0, 0, 0, 0, 0) != 0)
            Linux.raw_syscall(Linux.SYS_exit_group, SetIdsFailed, 0, 0, 0, 0);
        if (Linux.raw_syscall(Linux.SYS_dup2, stdin, 0, 0, 0, 0) < 0
            || Linux.raw_syscall(Linux.SYS_dup2, stdout, 1, 0, 0, 0) < 0
            || Linux.raw_syscall(Linux.SYS_dup2, stderr, 2, 0, 0, 0) < 0)
            Linux.raw_syscall(Linux.SYS_exit_group, StdioFailed, 0, 0, 0, 0);
        Linux.raw_syscall(Linux.SYS_execve, path, (nint)argv, (nint)envp, 0, 0);
        Linux.raw_syscall(Linux.SYS_exit_group, ExecFailed, 0, 0, 0, 0);
    }
}
