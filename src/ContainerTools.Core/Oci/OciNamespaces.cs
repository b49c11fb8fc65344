using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>
/// linux.namespaces as the init is started with them: the CLONE_NEW* flags to unshare, the namespace files
/// the starting thread joins (pid, network, ipc, uts by path), and what the init does itself once placed in
/// its group: join a mount or cgroup namespace by path, or make a new cgroup namespace (it must, after
/// placement, or it would see the host's cgroup paths). A user namespace, new (<see cref="NewUser"/>) or
/// joined (<see cref="UserPath"/>), is not in Unshare/Join: the init is cloned into it (see OciUserNamespaceInit).
/// </summary>
public sealed record OciNamespaces(int Unshare, IReadOnlyList<(string Path, int Type)> Join, bool NewCgroup, IReadOnlyList<(string Path, int Type)> InitJoins,
    bool NewUser = false, string? UserPath = null)
{
    private static readonly Dictionary<string, int> Types = new()
    {
        ["pid"] = Linux.CLONE_NEWPID, ["network"] = Linux.CLONE_NEWNET, ["ipc"] = Linux.CLONE_NEWIPC,
        ["uts"] = Linux.CLONE_NEWUTS, ["mount"] = Linux.CLONE_NEWNS, ["cgroup"] = Linux.CLONE_NEWCGROUP, ["user"] = Linux.CLONE_NEWUSER,
    };

    public static OciNamespaces From(SpecLinux linux)
    {
        int unshare = 0;
        var join = new List<(string, int)>();
        var initJoins = new List<(string, int)>();
        bool newCgroup = false, newUser = false;
        string? userPath = null;
        foreach (var ns in linux.Namespaces)
        {
            if (!Types.TryGetValue(ns.Type, out int type))
                throw new EngineException("UnsupportedNamespace", ErrorKind.NotImplemented, ns.Type, $"namespace type \"{ns.Type}\" is not supported");
            if (string.IsNullOrEmpty(ns.Path))
            {
                if (type == Linux.CLONE_NEWCGROUP)
                    newCgroup = true;
                else if (type == Linux.CLONE_NEWUSER)
                    newUser = true;
                else
                    unshare |= type;
            }
            else if (!File.Exists(ns.Path))
                throw new EngineException("NamespaceNotFound", ErrorKind.NotFound, ns.Path, $"{ns.Type} namespace {ns.Path}: no such file");
            else if (type == Linux.CLONE_NEWUSER)
                userPath = ns.Path;
            else if (type is Linux.CLONE_NEWNS or Linux.CLONE_NEWCGROUP)
                initJoins.Add((ns.Path, type));
            else
                join.Add((ns.Path, type));
        }
        // Mounts made in the host's mount namespace would be the host's: refuse, as runc does for a missing one.
        if ((unshare & Linux.CLONE_NEWNS) == 0 && !initJoins.Any(j => j.Item2 == Linux.CLONE_NEWNS))
            throw new EngineException("MountNamespaceRequired", ErrorKind.InvalidArgument, "mount", "the configuration must include a mount namespace");
        // A pid namespace made after joining would be pid 1's children's, not the init's (runc forks twice for it).
        if (userPath is not null && (unshare & Linux.CLONE_NEWPID) != 0)
            throw new EngineException("UnsupportedNamespace", ErrorKind.NotImplemented, "pid",
                "a user namespace joined by path needs the pid namespace joined by path too");
        OciIdMappings.Validate(linux, newUser);
        return new OciNamespaces(unshare, join, newCgroup, initJoins, newUser, userPath);
    }

    /// <summary>Opens the namespace files the starting thread joins (close-on-exec); the caller closes them once the init is started.</summary>
    public IReadOnlyList<(int Fd, int Type)> Open() => OpenAll(Join);

    /// <summary>
    /// In the init, placed in its group: joins the cgroup namespace by path (or makes a new one), then the
    /// mount namespace by path, after which only what that namespace shows is reachable.
    /// </summary>
    public void EnterFromInit()
    {
        var fds = OpenAll(InitJoins);
        try
        {
            if (NewCgroup && !InitJoins.Any(j => j.Type == Linux.CLONE_NEWCGROUP))
                Errno.Check(Linux.unshare(Linux.CLONE_NEWCGROUP), "unshare", "cgroup");
            foreach (var (fd, type) in fds.OrderBy(f => f.Type == Linux.CLONE_NEWNS))
            {
                // setns(mnt) refuses a file system context shared with the process's other threads.
                if (type == Linux.CLONE_NEWNS)
                    Errno.Check(Linux.unshare(Linux.CLONE_FS), "unshare", "CLONE_FS");
                Errno.Check(Linux.setns(fd, type), "setns", InitJoins.First(j => j.Type == type).Path);
            }
            if (fds.Any(f => f.Type == Linux.CLONE_NEWNS))
                Errno.Check(Linux.chdir("/"), "chdir", "/");
        }
        finally
        {
            foreach (var (fd, _) in fds)
                Linux.close(fd);
        }
    }

    private static List<(int Fd, int Type)> OpenAll(IReadOnlyList<(string Path, int Type)> namespaces)
    {
        var opened = new List<(int, int)>();
        try
        {
            foreach (var (path, type) in namespaces)
                opened.Add((Errno.Check(Linux.openat(Linux.AT_FDCWD, path, Linux.O_RDONLY | Linux.O_CLOEXEC, 0), "open", path), type));
        }
        catch
        {
            foreach (var (fd, _) in opened)
                Linux.close(fd);
            throw;
        }
        return opened;
    }
}
