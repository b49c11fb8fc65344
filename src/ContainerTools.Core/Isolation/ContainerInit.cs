using System.Text;
using ContainerTools.Core.Isolation.Cgroups;
using ContainerTools.Core.Isolation.Seccomp;
using ContainerTools.Core.Isolation.UserNamespaces;
using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// The container's init (run by `ctmon init` as PID 1 of the new namespaces): waits to be released by its
/// monitor, builds the root, drops privileges and execs the command. Each step is its own small class so
/// exec and the OCI runtime front end can reuse them. A failure is written on the status pipe.
/// </summary>
public static class ContainerInit
{
    /// <param name="layerSocket">With a user namespace: where the monitor sends the id-mapped layers (else -1).</param>
    public static int Run(string bundle, int statusFd, int layerSocket = -1)
    {
        Begin(statusFd);
        return Continue(bundle, statusFd, layerSocket);
    }

    /// <summary>
    /// A <see cref="SpareInit"/>: all it can do without a container is done before its monitor sends one; then it
    /// moves its own thread into the container's cgroup and takes a fresh copy of the host's mount namespace.
    /// </summary>
    public static int RunSpare(int statusFd)
    {
        Begin(statusFd);
        RuntimeSpec.WarmJson();
        // EOF instead: its monitor gave it up.
        if (SpareInit.Receive(0) is not { } assignment)
            return 1;
        var (bundle, threadEntries) = assignment;
        try
        {
            // This thread alone, which is the one that execs the command; the runtime's others end at that execve.
            foreach (string tasks in threadEntries)
                ControlFile.Write(tasks, "0");
            Errno.Check(Linux.unshare(Linux.CLONE_NEWNS), "unshare", "mount");
        }
        catch (Exception e) when (e is IOException or NativeCallException)
        {
            Report(statusFd, "cannot place the container in its cgroup: " + e.Message);
            return 127;
        }
        return Continue(bundle, statusFd, layerSocket: -1);
    }

    private static void Begin(int statusFd)
    {
        Linux.fcntl(statusFd, Linux.F_SETFD, Linux.FD_CLOEXEC);
        // Die with the monitor: a container nobody watches would be a leak nobody can see.
        Linux.prctl(Linux.PR_SET_PDEATHSIG, 9, 0, 0, 0);
    }

    private static int Continue(string bundle, int statusFd, int layerSocket)
    {
        try
        {
            var spec = RuntimeSpec.Load(Path.Combine(bundle, "config.json"));
            // Read now: after pivot_root the bundle is out of reach.
            byte[]? seccomp = SeccompFilterFile.Read(bundle);
            var layers = layerSocket >= 0 ? IdMappedLowerLayers.Receive(layerSocket) : null;
            if (!WaitForRelease())
                return 1;
            ProcessExec.Exec(spec.Process.Args, Setup(spec, seccomp, layers));
            return 127;
        }
        catch (ExecFailedException e)
        {
            Report(statusFd, e.Message);
            return e.ExitCode;
        }
        catch (Exception e)
        {
            Report(statusFd, e.Message);
            return 127;
        }
    }

    /// <summary>Everything between release and execve, in the order the kernel requires; returns the environment to exec with.</summary>
    /// <param name="seccomp">The compiled filter to load last, or null for none.</param>
    /// <param name="idMappedLayers">In a user namespace: the overlay's lower directories as id-mapped mounts, same order.</param>
    public static IReadOnlyList<string> Setup(RuntimeSpec spec, byte[]? seccomp, IdMappedLowerLayers? idMappedLayers = null)
    {
        // Placed in its cgroup by now: a new cgroup namespace makes that group its root.
        Errno.Check(Linux.unshare(Linux.CLONE_NEWCGROUP), "unshare", "cgroup");
        BuildRoot(spec, idMappedLayers);
        InitTerminal.Attach(spec);
        return EnterRoot(spec, seccomp);
    }

    /// <summary>The root file system and its mounts, seen from outside it (before pivot_root, where OCI's prestart hooks run).</summary>
    public static void BuildRoot(RuntimeSpec spec, IdMappedLowerLayers? idMappedLayers = null)
    {
        RootfsMounts.MakePrivate();
        RootfsMounts.MountOverlay(spec, idMappedLayers);
        using (var root = RootedPath.Open(spec.Root.Path))
        {
            RootfsMounts.Apply(root, spec.Mounts, cgroupNamespace: spec.Linux.Namespaces.Any(n => n.Type == "cgroup"));
            Devices.Create(root);
        }
        Loopback.Up();
    }

    /// <summary>pivot_root into the built root, then masks, sysctls, hostname and the process's confinement; returns the environment to exec with.</summary>
    public static IReadOnlyList<string> EnterRoot(RuntimeSpec spec, byte[]? seccomp)
    {
        RootPivot.Enter(spec.Root.Path);
        Sysctls.Apply(spec.Linux.Sysctl);
        PathMasks.Mask(spec.Linux.MaskedPaths);
        PathMasks.MakeReadOnly(spec.Linux.ReadonlyPaths);
        // Before a read-only root: docker makes it there too (in the container's layer, at creation).
        CreateWorkingDirectory(spec.Process.Cwd);
        if (spec.Root.Readonly)
            Errno.Check(Linux.mount(null, "/", null, Linux.MS_REMOUNT | Linux.MS_BIND | Linux.MS_RDONLY, null), "mount", "/ (read-only)");
        if (spec.Hostname is { } hostname)
            Errno.Check(Linux.sethostname(hostname, (nuint)Encoding.UTF8.GetByteCount(hostname)), "sethostname", hostname);
        return BecomeProcess(spec, seccomp);
    }

    /// <summary>
    /// Docker creates a missing working directory for the container, not for an exec. Made with our own calls,
    /// not Directory.CreateDirectory: the NativeAOT init has no resource strings for its errors.
    /// </summary>
    private static void CreateWorkingDirectory(string path)
    {
        // Any other failure is BecomeProcess's to report, at its own chdir.
        if (Linux.chdir(path) == 0 || Errno.Last != Errno.ENOENT)
            return;
        using var root = RootedPath.Open("/");
        RootPath.OpenDirectory(root, path).Dispose();
    }

    /// <summary>
    /// Inside the container's root: the spec's user, working directory, capabilities and no_new_privs.
    /// Shared with exec, so a command run later is confined exactly as the container's own. Returns the
    /// environment to exec with: the spec's, with the user's HOME when it sets none.
    /// </summary>
    /// <param name="seccomp">The compiled filter to load last, or null for none.</param>
    public static IReadOnlyList<string> BecomeProcess(RuntimeSpec spec, byte[]? seccomp)
    {
        var user = UserSwitch.Resolve(spec);
        EnterWorkingDirectory(spec.Process.Cwd);
        Rlimits.Apply(spec.Process.Rlimits.Select(r => Ulimit.FromOci(r.Type, r.Soft, r.Hard)));
        // Without no_new_privs the kernel takes a filter only from a process holding CAP_SYS_ADMIN: load it
        // while the init still has it (the filter must then allow the steps left, as Docker's does).
        if (seccomp is not null && !spec.Process.NoNewPrivileges)
            SeccompLoader.Load(seccomp);
        if (spec.Process.Capabilities is { } capabilities)
            CapabilitySet.DropBounding(capabilities);
        user.Apply();
        if (spec.Process.Capabilities is { } kept)
            CapabilitySet.Set(kept);
        if (spec.Process.NoNewPrivileges)
        {
            Errno.Check(Linux.prctl(Linux.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)");
            if (seccomp is not null)
                SeccompLoader.Load(seccomp);
        }
        return user.WithHome(spec.Process.Env);
    }

    public const string WorkingDirectoryNotFound = nameof(WorkingDirectoryNotFound);

    /// <summary>An exec's -WorkingDirectory is not made for it (as docker exec): its failure says what is wrong with it.</summary>
    private static void EnterWorkingDirectory(string path)
    {
        if (Linux.chdir(path) == 0)
            return;
        int errno = Errno.Last;
        throw errno switch
        {
            Errno.ENOENT => new EngineException(WorkingDirectoryNotFound, ErrorKind.NotFound, path, $"working directory {path} does not exist"),
            Errno.ENOTDIR => new EngineException("WorkingDirectoryNotADirectory", ErrorKind.InvalidArgument, path, $"working directory {path} is not a directory"),
            Errno.EACCES => new EngineException("WorkingDirectoryDenied", ErrorKind.PermissionDenied, path, $"working directory {path}: permission denied"),
            _ => new NativeCallException("chdir", path, errno),
        };
    }

    /// <summary>Blocks until the monitor writes one byte on stdin; false when it closed it without (it gave up).</summary>
    private static bool WaitForRelease()
    {
        bool released = Linux.ReadExactly(0, stackalloc byte[1]);
        int devNull = Errno.Check(Linux.openat(-100, "/dev/null", Linux.O_RDWR | Linux.O_CLOEXEC, 0), "open", "/dev/null");
        Errno.Check(Linux.dup2(devNull, 0), "dup2", "/dev/null");
        Linux.close(devNull);
        return released;
    }

    private static unsafe void Report(int fd, string message)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(message);
        fixed (byte* p = bytes)
            Linux.write(fd, p, (nuint)bytes.Length);
    }
}
