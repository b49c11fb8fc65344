using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Makes one entry of a copy by name in a directory held by a descriptor, on either side, never through what
/// is there already: a symlink (or any other non-directory) in the way is replaced, as docker cp replaces it,
/// so a link an earlier copy brought out of a container cannot lead a later one outside the destination. A
/// directory is merged into by a directory and never replaced by anything else.
/// </summary>
internal static class CopiedEntry
{
    /// <summary>A new regular file open for writing, owner-only until its own mode is set; the descriptor is the caller's to close.</summary>
    public static int CreateFile(int directory, string name, string path)
    {
        RemoveNonDirectory(directory, name, path);
        return Errno.Check(Linux.openat(directory, name, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0x180), "openat", path);
    }

    public static void CreateSymlink(int directory, string name, string target, string path)
    {
        RemoveNonDirectory(directory, name, path);
        Errno.Check(Linux.symlinkat(target, directory, name), "symlinkat", path);
    }

    /// <summary>The directory of that name, made (owner-only) if missing; the descriptor is the caller's to close.</summary>
    public static int OpenOrMakeDirectory(int directory, string name, string path)
    {
        if (Linux.mkdirat(directory, name, 0x1C0) < 0 && Errno.Last != Errno.EEXIST)
            throw new NativeCallException("mkdirat", path, Errno.Last);
        int fd = Linux.openat(directory, name, Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0);
        if (fd >= 0 || (Errno.Last != Errno.ENOTDIR && Errno.Last != Errno.ELOOP))
            return Errno.Check(fd, "openat", path);
        // A file or a symlink was there (ELOOP: O_NOFOLLOW met a link): it makes way for the directory.
        RemoveNonDirectory(directory, name, path);
        Errno.Check(Linux.mkdirat(directory, name, 0x1C0), "mkdirat", path);
        return Errno.Check(Linux.openat(directory, name, Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0), "openat", path);
    }

    private static void RemoveNonDirectory(int directory, string name, string path)
    {
        if (Linux.unlinkat(directory, name, 0) == 0 || Errno.Last == Errno.ENOENT)
            return;
        if (Errno.Last == Errno.EISDIR)
            throw new EngineException("DirectoryInTheWay", ErrorKind.InvalidOperation, path,
                $"cannot overwrite the directory '{path}' with a non-directory");
        throw new NativeCallException("unlinkat", path, Errno.Last);
    }
}
