using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// Mount targets inside a container root, created when missing. Every step is resolved by
/// <see cref="RootedPath"/> (openat2 RESOLVE_IN_ROOT): a symlink in the image or a shared volume pointing
/// at / or ../../.. lands inside the root, never on the host (CVE-2021-30465). The caller mounts on the
/// returned descriptor, so a symlink swapped in after resolution cannot redirect the mount.
/// </summary>
public static class RootPath
{
    private const int PathFlags = Linux.O_PATH;

    /// <summary>Opens (O_PATH) a directory inside the root, creating missing components.</summary>
    public static SafeFileHandle OpenDirectory(RootedPath root, string path) => OpenDirectory(root, path, 0);

    /// <summary>The kernel's limit on symlinks in one lookup: a loop of dangling links ends here too.</summary>
    private const int MaxLinks = 40;

    private static SafeFileHandle OpenDirectory(RootedPath root, string path, int links)
    {
        string prefix = "/";
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string next = prefix + part + "/";
            using (var existing = root.TryOpen(next, PathFlags | Linux.O_DIRECTORY))
            {
                if (existing is null && DanglingLink(root, prefix, part) is { } target)
                {
                    // A dangling symlink: make what it names, as the kernel would resolve it from inside the root.
                    if (links >= MaxLinks)
                        throw new NativeCallException("openat2", path, Errno.ELOOP);
                    OpenDirectory(root, target.StartsWith('/') ? target : prefix + target, links + 1).Dispose();
                }
                else if (existing is null)
                    InDirectory(root, prefix, dir => Linux.mkdirat(dir, part, 0x1ED /* 0755 */), "mkdirat", next);
            }
            prefix = next;
        }
        return root.Open(prefix, PathFlags | Linux.O_DIRECTORY);
    }

    /// <summary>The target of <paramref name="name"/> in <paramref name="directory"/> when it is a symlink, else null.</summary>
    private static string? DanglingLink(RootedPath root, string directory, string name)
    {
        using var parent = root.TryOpen(directory, PathFlags | Linux.O_DIRECTORY);
        if (parent is null)
            return null;
        int fd = Linux.openat((int)parent.DangerousGetHandle(), name, Linux.O_PATH | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0);
        if (fd < 0)
            return null;
        using var entry = new SafeFileHandle(fd, ownsHandle: true);
        return Linux.Status(fd, name).Type == Linux.S_IFLNK ? Linux.LinkTarget(fd, name) : null;
    }

    /// <summary>Opens (O_PATH) a file inside the root, creating an empty one if missing (its directory too).</summary>
    public static SafeFileHandle OpenFile(RootedPath root, string path)
    {
        if (root.TryOpen(path, PathFlags) is { } existing)
            return existing;
        string parent = Path.GetDirectoryName(path) ?? "/";
        OpenDirectory(root, parent).Dispose();
        // O_NOFOLLOW: a dangling symlink planted here must not create a file elsewhere.
        InDirectory(root, parent, dir =>
        {
            int created = Linux.openat(dir, Path.GetFileName(path), Linux.O_CREAT | Linux.O_WRONLY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0x1A4 /* 0644 */);
            return created < 0 ? created : Linux.close(created);
        }, "openat", path);
        return root.Open(path, PathFlags);
    }

    /// <summary>Runs a *at call in a directory resolved inside the root; EEXIST counts as done.</summary>
    private static void InDirectory(RootedPath root, string directory, Func<int, int> call, string name, string path)
    {
        using var dir = root.Open(directory, Linux.O_DIRECTORY);
        if (call((int)dir.DangerousGetHandle()) < 0 && Errno.Last != Errno.EEXIST)
            throw new NativeCallException(name, path, Errno.Last);
    }

    /// <summary>The path that names an open descriptor, usable as a mount source or target.</summary>
    public static string Magic(int fd) => $"/proc/self/fd/{fd}";

    public static string Magic(SafeFileHandle handle) => Magic((int)handle.DangerousGetHandle());
}
