using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// A directory that acts as "/" for paths opened through it (a container root, a layer being unpacked).
/// Paths are resolved by the kernel with openat2, never by joining strings, so no "..", symlink or race
/// can reach outside (runc's path CVEs are the lesson).
/// </summary>
public sealed class RootedPath : IDisposable
{
    private readonly SafeFileHandle _root;

    private RootedPath(string root, SafeFileHandle handle)
    {
        Root = root;
        _root = handle;
    }

    public string Root { get; }

    /// <summary>An O_PATH descriptor of the root, for *at calls relative to it.</summary>
    public int Descriptor => (int)_root.DangerousGetHandle();

    public static RootedPath Open(string root)
    {
        int fd = Errno.Check(Linux.openat(Linux.AT_FDCWD, root, Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0), "open", root);
        return new RootedPath(root, new SafeFileHandle(fd, ownsHandle: true));
    }

    /// <summary>Takes ownership of a descriptor already open on a root that has no path (a detached mount); <paramref name="root"/> names it in messages.</summary>
    public static RootedPath Adopt(string root, SafeFileHandle handle) => new(root, handle);

    /// <summary>
    /// Opens <paramref name="path"/> as a process whose root is this directory would: absolute symlinks and
    /// ".." stop at the root (RESOLVE_IN_ROOT). For the runtime and for copying into containers.
    /// </summary>
    public SafeFileHandle Open(string path, int flags, uint mode = 0) =>
        OpenAt(path, flags, mode, Linux.RESOLVE_IN_ROOT | Linux.RESOLVE_NO_MAGICLINKS);

    /// <summary>Open, or null when the path (or one of its parents) does not exist.</summary>
    public SafeFileHandle? TryOpen(string path, int flags, uint mode = 0)
    {
        int fd = Retry(path, flags, mode, Linux.RESOLVE_IN_ROOT | Linux.RESOLVE_NO_MAGICLINKS);
        if (fd == -1 && Errno.Last == Errno.ENOENT)
            return null;
        return Checked(fd, path);
    }

    /// <summary>
    /// Opens <paramref name="path"/> refusing any resolution that would leave the root, even one the kernel
    /// would clamp (an absolute symlink, ".." above the top): a SecurityError naming the path. For unpacking
    /// untrusted layers, where such a path is an attack rather than a link to follow.
    /// </summary>
    public SafeFileHandle OpenBeneath(string path, int flags, uint mode = 0) =>
        OpenAt(path, flags, mode, Linux.RESOLVE_BENEATH | Linux.RESOLVE_NO_MAGICLINKS);

    /// <summary>OpenBeneath, or null when the path (or one of its parents) does not exist.</summary>
    public SafeFileHandle? TryOpenBeneath(string path, int flags, uint mode = 0)
    {
        int fd = Retry(path, flags, mode, Linux.RESOLVE_BENEATH | Linux.RESOLVE_NO_MAGICLINKS);
        if (fd == -1 && Errno.Last == Errno.ENOENT)
            return null;
        return Checked(fd, path);
    }

    private SafeFileHandle OpenAt(string path, int flags, uint mode, ulong resolve) =>
        Checked(Retry(path, flags, mode, resolve), path);

    private int Retry(string path, int flags, uint mode, ulong resolve)
    {
        string relative = path.TrimStart('/');
        if (relative.Length == 0)
            relative = ".";
        while (true)
        {
            // EAGAIN: a concurrent rename somewhere in the file system; the kernel asks us to try again.
            int fd = Linux.openat2(Descriptor, relative, (ulong)(flags | Linux.O_CLOEXEC), mode, resolve);
            if (fd != -1 || (Errno.Last != Errno.EAGAIN && Errno.Last != Errno.EINTR))
                return fd;
        }
    }

    private SafeFileHandle Checked(int fd, string path)
    {
        if (fd == -1)
        {
            int errno = Errno.Last;
            if (errno == Errno.EXDEV)
                throw new EngineException("PathEscapesRoot", ErrorKind.SecurityError, path,
                    $"'{path}' resolves to a place outside {Root} (through '..' or a symbolic link).");
            throw new NativeCallException("openat2", Path.Combine(Root, path.TrimStart('/')), errno);
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public void Dispose() => _root.Dispose();
}
