using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// `docker cp` between the host and a container (running or stopped, see <see cref="ContainerFileSystem"/>), files and directory trees, modes and times kept;
/// what is copied in belongs to the container's root, as with docker cp (the mapped root with a user namespace).
/// The container side is walked by descriptors only: the first path is resolved inside the root
/// (RESOLVE_IN_ROOT), every entry below it is one name opened relative to its parent with O_NOFOLLOW, so a
/// symlink planted or swapped while the copy runs fails the copy instead of leading it out of the root.
/// </summary>
public sealed class ContainerCopy(ContainerStore store)
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/>; exactly one of them names a container.
    /// With <paramref name="wildcards"/>, a source whose names hold wildcards (web:/etc/*.conf, /logs/*.txt)
    /// copies every entry that matches, which must be one at least; several go into the destination directory,
    /// which must exist (as with cp).
    /// </summary>
    public void Copy(string source, string destination, bool wildcards = false)
    {
        var from = ContainerFilePath.Parse(source);
        var to = ContainerFilePath.Parse(destination);
        if ((from.Container is null) == (to.Container is null))
            throw new EngineException("InvalidCopy", ErrorKind.InvalidArgument, destination,
                "exactly one of -Path and -Destination must name a container path (container:/path)");
        bool expand = wildcards && WildcardName.AnyIn(from.Path);
        // A -Path without wildcards loses its escapes, as with Copy-Item: x`[1`].txt is x[1].txt.
        string path = wildcards && !expand ? WildcardName.Unescape(from.Path) : from.Path;
        if (from.Container is { } reader)
        {
            using var container = ContainerFileSystem.Open(store, reader, writable: false);
            var sources = expand ? Matches(path, ContainerNames(container.Root), ContainerEntryExists(container.Root), "ContainerPathNotFound", "in the container") : [path];
            foreach (string match in sources)
                CopyOut(container.Root, match, to.Path, several: sources.Count > 1);
        }
        else
        {
            var sources = expand ? Matches(Path.GetFullPath(path), HostNames, HostEntryExists, "PathNotFound", "on the host") : [path];
            using var container = ContainerFileSystem.Open(store, to.Container!, writable: true);
            foreach (string match in sources)
                CopyIn(container, match, to.Path, several: sources.Count > 1);
        }
    }

    private static IReadOnlyList<string> Matches(string pattern, Func<string, IEnumerable<string>> names, Func<string, bool> exists, string errorId, string where)
    {
        var matches = WildcardPath.Expand(pattern, names, exists);
        return matches.Count > 0 ? matches
            : throw new EngineException(errorId, ErrorKind.NotFound, pattern, $"nothing {where} matches '{pattern}'");
    }

    /// <summary>The names in a container directory, listed through a descriptor opened inside its root.</summary>
    private static Func<string, IEnumerable<string>> ContainerNames(RootedPath root) => directory =>
    {
        using var handle = TryOpen(root, directory, Linux.O_RDONLY | Linux.O_DIRECTORY);
        return handle is null ? [] : Directory.EnumerateFileSystemEntries(RootPath.Magic(handle)).Select(entry => Path.GetFileName(entry)).ToList();
    };

    private static Func<string, bool> ContainerEntryExists(RootedPath root) => path =>
    {
        using var handle = TryOpen(root, path, Linux.O_PATH | Linux.O_NOFOLLOW);
        return handle is not null;
    };

    private static IEnumerable<string> HostNames(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFileSystemEntries(directory).Select(entry => Path.GetFileName(entry)) : [];

    private static bool HostEntryExists(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static void CopyIn(ContainerFileSystem container, string hostSource, string containerDestination, bool several)
    {
        var root = container.Root;
        string full = Path.GetFullPath(hostSource);
        var source = new FileInfo(full);
        if (!source.Exists && !Directory.Exists(full) && source.LinkTarget is null)
            throw new EngineException("PathNotFound", ErrorKind.NotFound, hostSource, $"'{hostSource}' does not exist");
        string name = Path.GetFileName(full.TrimEnd('/'));
        // Into an existing directory under the source's name; otherwise as the destination's name in its parent.
        using var existing = TryOpen(root, containerDestination, Linux.O_RDONLY | Linux.O_DIRECTORY);
        if (existing is not null)
        {
            Write((int)existing.DangerousGetHandle(), name, full, container);
            return;
        }
        // As docker cp: a file copied to a path ending in '/' goes into that directory, which must exist; as cp,
        // so do several items.
        if (several || (containerDestination.EndsWith('/') && !Directory.Exists(full)))
            throw new EngineException("ContainerPathNotFound", ErrorKind.NotFound, containerDestination, $"the directory '{containerDestination}' does not exist in the container");
        string parent = Path.GetDirectoryName(containerDestination.TrimEnd('/')) ?? "/";
        using var directory = TryOpen(root, parent, Linux.O_RDONLY | Linux.O_DIRECTORY)
            ?? throw new EngineException("ContainerPathNotFound", ErrorKind.NotFound, containerDestination, $"the directory '{parent}' does not exist in the container");
        Write((int)directory.DangerousGetHandle(), Path.GetFileName(containerDestination.TrimEnd('/')), full, container);
    }

    private static void CopyOut(RootedPath root, string containerSource, string hostDestination, bool several)
    {
        using var source = TryOpen(root, containerSource, Linux.O_PATH)
            ?? throw new EngineException("ContainerPathNotFound", ErrorKind.NotFound, containerSource, $"'{containerSource}' does not exist in the container");
        string target = Path.GetFullPath(hostDestination);
        if (Directory.Exists(target))
            target = Path.Combine(target, Path.GetFileName(containerSource.TrimEnd('/')) is { Length: > 0 } name ? name : "root");
        else if (several)
            throw new EngineException("PathNotFound", ErrorKind.NotFound, hostDestination, $"the directory '{hostDestination}' does not exist");
        else if (!Directory.Exists(Path.GetDirectoryName(target)))
            throw new EngineException("PathNotFound", ErrorKind.NotFound, hostDestination, $"the directory of '{hostDestination}' does not exist");
        Read((int)source.DangerousGetHandle(), target);
    }

    /// <summary>Opens a path resolved inside the root; null when it does not exist (or is not a directory when one is asked for).</summary>
    private static SafeFileHandle? TryOpen(RootedPath root, string path, int flags)
    {
        try
        {
            return root.Open(path, flags);
        }
        catch (NativeCallException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            return null;
        }
    }

    /// <summary>Writes the host entry <paramref name="hostPath"/> as <paramref name="name"/> in the container directory <paramref name="directory"/>.</summary>
    private static void Write(int directory, string name, string hostPath, ContainerFileSystem container)
    {
        var info = new FileInfo(hostPath);
        if (info.LinkTarget is { } link)
        {
            // Replaces a file of that name; a directory there stays and the copy fails (as `cp` does).
            using (container.Creating())
            {
                if (Linux.symlinkat(link, directory, name) < 0 && Errno.Last == Errno.EEXIST)
                {
                    Errno.Check(Linux.unlinkat(directory, name, 0), "unlinkat", hostPath);
                    Errno.Check(Linux.symlinkat(link, directory, name), "symlinkat", name);
                }
            }
            Errno.Check(Linux.fchownat(directory, name, container.RootOwner.Uid, container.RootOwner.Gid, Linux.AT_SYMLINK_NOFOLLOW), "fchownat", name);
            return;
        }
        int fd;
        if (info.Attributes.HasFlag(FileAttributes.Directory))
        {
            using (container.Creating())
            {
                if (Linux.mkdirat(directory, name, 0x1C0 /* 0700 until its own mode is set */) < 0 && Errno.Last != Errno.EEXIST)
                    throw new NativeCallException("mkdirat", name, Errno.Last);
            }
            fd = Errno.Check(Linux.openat(directory, name, Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0), "openat", name);
            try
            {
                foreach (var child in Directory.EnumerateFileSystemEntries(hostPath))
                    Write(fd, Path.GetFileName(child), child, container);
            }
            catch
            {
                Linux.close(fd);
                throw;
            }
        }
        else
        {
            using (container.Creating())
                fd = Errno.Check(Linux.openat(directory, name, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_TRUNC | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0x180), "openat", name);
            using var output = new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Write);
            using (var input = File.OpenRead(hostPath))
                input.CopyTo(output);
            output.Flush();
        }
        try
        {
            Errno.Check(Linux.fchown(fd, container.RootOwner.Uid, container.RootOwner.Gid), "fchown", name);
            Errno.Check(Linux.fchmod(fd, (uint)File.GetUnixFileMode(hostPath)), "fchmod", name);
            Linux.SetTimes(fd, Timespec(info.LastAccessTimeUtc), Timespec(info.LastWriteTimeUtc), name);
        }
        finally
        {
            Linux.close(fd);
        }
    }

    /// <summary>Reads the container entry held by <paramref name="pathFd"/> (O_PATH) into the host path <paramref name="hostPath"/>.</summary>
    internal static void Read(int pathFd, string hostPath)
    {
        var status = Linux.Status(pathFd, hostPath);
        switch (status.Type)
        {
            case Linux.S_IFLNK:
                File.CreateSymbolicLink(hostPath, Linux.LinkTarget(pathFd, hostPath));
                return;
            case Linux.S_IFDIR:
                Directory.CreateDirectory(hostPath);
                // The descriptor's /proc/self/fd link is the directory itself; listing it follows nothing else.
                foreach (var child in Directory.EnumerateFileSystemEntries(RootPath.Magic(pathFd)))
                {
                    string name = Path.GetFileName(child);
                    int childFd = Errno.Check(Linux.openat(pathFd, name, Linux.O_PATH | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0), "openat", name);
                    try
                    {
                        Read(childFd, Path.Combine(hostPath, name));
                    }
                    finally
                    {
                        Linux.close(childFd);
                    }
                }
                break;
            case Linux.S_IFREG:
                // Reopened through its descriptor: the very inode that was checked, not a path that could change.
                using (var input = new FileStream(RootPath.Magic(pathFd), FileMode.Open, FileAccess.Read))
                using (var output = File.Create(hostPath))
                    input.CopyTo(output);
                break;
            default:
                // Devices, FIFOs and sockets are not copied, as `docker cp` does not.
                return;
        }
        File.SetUnixFileMode(hostPath, (UnixFileMode)status.Permissions);
        var modified = DateTime.UnixEpoch.AddSeconds(status.Modified.Seconds).AddTicks(status.Modified.Nanoseconds / 100);
        var accessed = DateTime.UnixEpoch.AddSeconds(status.Accessed.Seconds).AddTicks(status.Accessed.Nanoseconds / 100);
        if (status.Type == Linux.S_IFDIR)
        {
            Directory.SetLastWriteTimeUtc(hostPath, modified);
            Directory.SetLastAccessTimeUtc(hostPath, accessed);
        }
        else
        {
            File.SetLastWriteTimeUtc(hostPath, modified);
            File.SetLastAccessTimeUtc(hostPath, accessed);
        }
    }

    private static Linux.Timespec Timespec(DateTime utc)
    {
        long ticks = (utc - DateTime.UnixEpoch).Ticks;
        return new Linux.Timespec { Seconds = ticks / TimeSpan.TicksPerSecond, Nanoseconds = ticks % TimeSpan.TicksPerSecond * 100 };
    }
}
