using ContainerTools.Core.Native;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// Mount targets inside a container root, resolved by the kernel inside it (openat2 RESOLVE_IN_ROOT): a
/// symlink in the image pointing at / or ../../.. lands inside the root, never on the host. The target is
/// then used as /proc/self/fd/N, so nothing can swap it between the check and the mount.
/// </summary>
public static class RootPath
{
    private const ulong PathFlags = Linux.O_PATH | Linux.O_CLOEXEC;

    /// <summary>Opens (O_PATH) a directory inside the root, creating missing components.</summary>
    public static int OpenDirectory(int rootFd, string path)
    {
        string prefix = ".";
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string next = prefix + "/" + part;
            int probe = Linux.openat2(rootFd, next, PathFlags | Linux.O_DIRECTORY, 0, Linux.RESOLVE_IN_ROOT);
            if (probe >= 0)
                Linux.close(probe);
            else if (Errno.Last == Errno.ENOENT)
                InDirectory(rootFd, prefix, dir => Linux.mkdirat(dir, part, 0x1ED /* 0755 */), "mkdirat", next);
            else
                throw new NativeCallException("openat2", path, Errno.Last);
            prefix = next;
        }
        return Errno.Check(Linux.openat2(rootFd, prefix, PathFlags | Linux.O_DIRECTORY, 0, Linux.RESOLVE_IN_ROOT), "openat2", path);
    }

    /// <summary>Opens (O_PATH) a file inside the root, creating an empty one if missing (its directory too).</summary>
    public static int OpenFile(int rootFd, string path)
    {
        string relative = "." + path;
        int fd = Linux.openat2(rootFd, relative, PathFlags, 0, Linux.RESOLVE_IN_ROOT);
        if (fd >= 0 || Errno.Last != Errno.ENOENT)
            return Errno.Check(fd, "openat2", path);
        string parent = Path.GetDirectoryName(path) ?? "/";
        Linux.close(OpenDirectory(rootFd, parent));
        // O_NOFOLLOW: a dangling symlink planted here must not create a file elsewhere.
        InDirectory(rootFd, "." + parent, dir =>
        {
            int created = Linux.openat(dir, Path.GetFileName(path), Linux.O_CREAT | Linux.O_WRONLY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0x1A4 /* 0644 */);
            return created < 0 ? created : Linux.close(created);
        }, "openat", path);
        return Errno.Check(Linux.openat2(rootFd, relative, PathFlags, 0, Linux.RESOLVE_IN_ROOT), "openat2", path);
    }

    /// <summary>Runs a *at call in a directory resolved inside the root; EEXIST counts as done.</summary>
    private static void InDirectory(int rootFd, string directory, Func<int, int> call, string name, string path)
    {
        int dir = Errno.Check(Linux.openat2(rootFd, directory, (ulong)(Linux.O_DIRECTORY | Linux.O_CLOEXEC), 0, Linux.RESOLVE_IN_ROOT), "openat2", directory);
        try
        {
            if (call(dir) < 0 && Errno.Last != Errno.EEXIST)
                throw new NativeCallException(name, path, Errno.Last);
        }
        finally
        {
            Linux.close(dir);
        }
    }

    /// <summary>The path that names an open descriptor, usable as a mount source or target.</summary>
    public static string Magic(int fd) => $"/proc/self/fd/{fd}";
}
