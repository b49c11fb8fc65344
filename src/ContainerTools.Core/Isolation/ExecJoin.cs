using System.Text;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// `ctmon exec`: born in the container's PID namespace, joins its cgroup and its other namespaces (mount
/// last, after which only the container's files are visible), becomes the container's process (user,
/// capabilities, no_new_privs) and execs the command. A failure is an <see cref="ExecFailure"/> on the request's
/// report descriptor, else (ctrun) one line on stderr, and exit code 127 (a file not found) or 126, as `docker exec` sets them.
/// </summary>
public static class ExecJoin
{
    private static readonly (string Name, int Type)[] Namespaces =
    [
        ("cgroup", Linux.CLONE_NEWCGROUP), ("ipc", Linux.CLONE_NEWIPC), ("uts", Linux.CLONE_NEWUTS), ("net", Linux.CLONE_NEWNET), ("mnt", Linux.CLONE_NEWNS),
    ];

    /// <param name="insideUserNamespace">Started by <see cref="UserNamespaceExec"/>: placed in the group, inside the container's user namespace.</param>
    public static int Run(string requestJson, bool insideUserNamespace = false)
    {
        int report = 2;
        bool structured = false;
        try
        {
            var request = ExecRequest.FromJson(requestJson);
            if (request.FailureReport is int failureReport)
                (report, structured) = (failureReport, true);
            // Placed first, so even a failure below leaves nothing of ours outside the container's group.
            if (!insideUserNamespace)
                Cgroups.Cgroups.Detect().Open(request.CgroupPath)?.AddProcess(Environment.ProcessId);
            // The report descriptor passes on to the `ctmon exec` inside, which reports in our place.
            if (!insideUserNamespace && UserNamespaces.ContainerUserNamespace.Wanted(request.Spec))
                return UserNamespaceExec.Run(request.InitPid, requestJson, request.Detach, request.FailureReport);
            if (structured)
                Errno.Check(Linux.fcntl(report, Linux.F_SETFD, Linux.FD_CLOEXEC), "fcntl", "exec failure report");
            // The same filter as the container's own, read while the host's files are still in reach.
            byte[]? seccomp = Seccomp.SeccompFilterFile.Read(request.ContainerDirectory);
            Join(request.InitPid);
            // Opened while still root: the slave belongs to whoever opened the master.
            int? terminal = request.Terminal is { } number ? OpenTerminal(number) : null;
            var environment = ContainerInit.BecomeProcess(request.Spec, seccomp);
            // Last before exec: the caller reads the report (or stderr) until EOF, which comes when the exec succeeds.
            if (request.Detach)
                report = DetachStdio(report);
            else if (terminal is { } slave)
                AttachTerminal(slave);
            else if (request.Spec.Process.Terminal)
                ControllingTerminal.Take();
            if (request.HoldUntilClosed is int hold)
                AwaitClose(hold);
            ProcessExec.Exec(request.Spec.Process.Args, environment);
            return 127;
        }
        catch (Exception e)
        {
            var failure = ExecFailure.Of(e);
            if (structured)
                failure.WriteTo(report);
            else
                Report(report, e.Message);
            return failure.ExitCode;
        }
    }

    /// <summary>Reads the pipe until its writer is gone, then closes it: the command does not inherit it.</summary>
    private static unsafe void AwaitClose(int fd)
    {
        byte ignored;
        nint read;
        do
            read = Linux.read(fd, &ignored, 1);
        while (read > 0 || (read < 0 && Errno.Last == Errno.EINTR));
        Linux.close(fd);
    }

    /// <summary>All descriptors are opened first: once in the mount namespace, the host's /proc is gone.</summary>
    private static void Join(int initPid)
    {
        // One we are in already is skipped: an OCI container may share the host's cgroup namespace, which a
        // process in the container's user namespace may not setns into, though it is already there.
        var fds = Namespaces.Where(ns => new FileInfo($"/proc/{initPid}/ns/{ns.Name}").LinkTarget != new FileInfo($"/proc/thread-self/ns/{ns.Name}").LinkTarget).Select(ns => (Fd: Errno.Check(Linux.openat(Linux.AT_FDCWD, $"/proc/{initPid}/ns/{ns.Name}", Linux.O_RDONLY | Linux.O_CLOEXEC, 0), "open", $"/proc/{initPid}/ns/{ns.Name}"), ns.Type)).ToList();
        try
        {
            // setns(mnt) refuses a file system context shared with the runtime's other threads.
            Errno.Check(Linux.unshare(Linux.CLONE_FS), "unshare", "CLONE_FS");
            foreach (var (fd, type) in fds)
                Errno.Check(Linux.setns(fd, type), "setns", type.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Errno.Check(Linux.chdir("/"), "chdir", "/");
        }
        finally
        {
            foreach (var (fd, _) in fds)
                Linux.close(fd);
        }
    }

    /// <summary>
    /// A detached command gets /dev/null (the container's) and outlives whoever started it. A failure reported on
    /// the caller's stderr goes on to a close-on-exec copy of it: an exec failure is still reported, and success closes it.
    /// </summary>
    private static int DetachStdio(int report)
    {
        if (report == 2)
            report = Errno.Check(Linux.fcntl(2, Linux.F_DUPFD_CLOEXEC, 3), "fcntl", "F_DUPFD_CLOEXEC");
        int devNull = Errno.Check(Linux.openat(Linux.AT_FDCWD, "/dev/null", Linux.O_RDWR | Linux.O_CLOEXEC, 0), "open", "/dev/null");
        for (int fd = 0; fd <= 2; fd++)
            Errno.Check(Linux.dup2(devNull, fd), "dup2", "/dev/null");
        Linux.close(devNull);
        Linux.setsid();
        return report;
    }

    /// <summary>The container's /dev/pts/N (its own devpts instance, as the mount namespace is now the container's).</summary>
    private static int OpenTerminal(int number)
    {
        string path = $"/dev/pts/{number}";
        int fd = Errno.Check(Linux.openat(Linux.AT_FDCWD, path, Linux.O_RDWR | Linux.O_NOCTTY | Linux.O_CLOEXEC, 0), "open", path);
        if (Linux.isatty(fd) != 1)
            throw new EngineException("NotATerminal", ErrorKind.SecurityError, path, $"{path} in the container is not a terminal");
        return fd;
    }

    /// <summary>A session of its own with the terminal as its controlling terminal and stdio, as a login shell has.</summary>
    private static void AttachTerminal(int slave)
    {
        for (int fd = 0; fd <= 2; fd++)
            Errno.Check(Linux.dup2(slave, fd), "dup2", "terminal");
        Linux.close(slave);
        ControllingTerminal.Take();
    }

    private static unsafe void Report(int fd, string message)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(message + "\n");
        fixed (byte* p = bytes)
            Linux.write(fd, p, (nuint)bytes.Length);
    }
}
