using ContainerTools.Core.Native;
using ContainerTools.Core.Runtime;

namespace ContainerTools.Core.Oci;

/// <summary>
/// linux.namespaces as the init is started with them: the CLONE_NEW* flags to unshare, the namespace files
/// to join (pid, network, ipc, uts by path), and whether the init makes a new cgroup namespace itself (it
/// must, after it is placed in its group).
/// </summary>
public sealed record OciNamespaces(int Unshare, IReadOnlyList<(string Path, int Type)> Join, bool NewCgroup)
{
    private static readonly Dictionary<string, int> Types = new()
    {
        ["pid"] = Linux.CLONE_NEWPID, ["network"] = Linux.CLONE_NEWNET, ["ipc"] = Linux.CLONE_NEWIPC,
        ["uts"] = Linux.CLONE_NEWUTS, ["mount"] = Linux.CLONE_NEWNS, ["cgroup"] = Linux.CLONE_NEWCGROUP,
    };

    public static OciNamespaces From(SpecLinux linux)
    {
        int unshare = 0;
        var join = new List<(string, int)>();
        bool newCgroup = false;
        foreach (var ns in linux.Namespaces)
        {
            if (!Types.TryGetValue(ns.Type, out int type))
                throw new EngineException("UnsupportedNamespace", ErrorKind.NotImplemented, ns.Type, $"namespace type \"{ns.Type}\" is not supported");
            if (string.IsNullOrEmpty(ns.Path))
            {
                if (type == Linux.CLONE_NEWCGROUP)
                    newCgroup = true;
                else
                    unshare |= type;
            }
            else if (type is Linux.CLONE_NEWNS or Linux.CLONE_NEWCGROUP)
                throw new EngineException("UnsupportedNamespace", ErrorKind.NotImplemented, ns.Path, $"joining a {ns.Type} namespace by path is not supported");
            else
                join.Add((ns.Path, type));
        }
        // Mounts made in the host's mount namespace would be the host's: refuse, as runc does for a missing one.
        if ((unshare & Linux.CLONE_NEWNS) == 0)
            throw new EngineException("MountNamespaceRequired", ErrorKind.InvalidArgument, "mount", "the configuration must include a new mount namespace");
        return new OciNamespaces(unshare, join, newCgroup);
    }

    /// <summary>Opens the namespace files to join (close-on-exec); the caller closes them once the init is started.</summary>
    public IReadOnlyList<(int Fd, int Type)> Open()
    {
        var opened = new List<(int, int)>();
        try
        {
            foreach (var (path, type) in Join)
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
