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
    /// which must exist (as with cp). A source that is a symbolic link is copied as the link, as docker cp copies
    /// it; with <paramref name="followLink"/> (docker cp -L) as what it points to, under the link's name: in the
    /// container resolved inside its root.
    /// </summary>
    public void Copy(string source, string destination, bool wildcards = false, bool followLink = false)
    {
        try
        {
            CopyEither(source, destination, wildcards, followLink);
        }
        catch (NativeCallException e) when (e.Errno is Errno.ENAMETOOLONG or Errno.ELOOP)
        {
            // The kernel's limits, 255 bytes a name and 4096 a path, or 40 links in one lookup, met in the container
            // (the host side's are .NET's PathTooLongException and IOException).
            string inContainer = ContainerFilePath.Parse(source).Container is null ? destination : source;
            throw e.Errno == Errno.ELOOP
                ? new EngineException("SymbolicLinkLoop", ErrorKind.InvalidArgument, inContainer,
                    $"'{inContainer}' leads through more than 40 symbolic links in the container (a loop)")
                : new EngineException("PathTooLong", ErrorKind.InvalidArgument, inContainer,
                    $"'{inContainer}' has a name longer than 255 bytes or is longer than 4096 bytes");
        }
    }

    private void CopyEither(string source, string destination, bool wildcards, bool followLink)
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
                CopyOut(container.Root, match, to.Path, several: sources.Count > 1, followLink);
        }
        else
        {
            var sources = expand ? Matches(Path.GetFullPath(path), HostNames, HostEntryExists, "PathNotFound", "on the host") : [path];
            using var container = ContainerFileSystem.Open(store, to.Container!, writable: true);
            try
            {
                foreach (string match in sources)
                    CopyIn(container, match, to.Path, several: sources.Count > 1, followLink);
            }
            catch (NativeCallException e) when (e.Errno == Errno.EROFS)
            {
                throw new EngineException("ReadOnlyFileSystem", ErrorKind.PermissionDenied, destination,
                    $"'{to.Path}' is on a read-only file system in container {to.Container} (a -ReadOnly root, a volume mounted :ro, or a path the runtime keeps read-only such as /proc/sys)");
            }
        }
    }

    private static IReadOnlyList<string> Matches(string pattern, Func<string, IEnumerable<string>> names, Func<string, bool> exists, string errorId, string where)
    {
        var matches = WildcardPath.Expand(pattern, names, exists);
        return matches.Count > 0 ? matches
            : throw new EngineException(errorId, ErrorKind.NotFound, pattern, $"nothing {where} matches '{pattern}'");
    }

    /// <summary>
    /// The entries of <paramref name="directory"/> in a container, running or stopped, for completing paths in it;
    /// none when it is no directory there.
    /// </summary>
    public IReadOnlyList<ContainerDirectoryEntry> List(string nameOrId, string directory)
    {
        using var container = ContainerFileSystem.Open(store, nameOrId, writable: false);
        return Entries(container.Root, directory);
    }

    /// <summary>The entries of a container directory, listed through a descriptor opened inside its root.</summary>
    private static List<ContainerDirectoryEntry> Entries(RootedPath root, string directory)
    {
        using var handle = TryOpen(root, directory, Linux.O_RDONLY | Linux.O_DIRECTORY);
        return handle is null ? [] : new DirectoryInfo(RootPath.Magic(handle)).EnumerateFileSystemInfos()
            .Select(entry => new ContainerDirectoryEntry(entry.Name, entry is DirectoryInfo && entry.LinkTarget is null)).ToList();
    }

    private static Func<string, IEnumerable<string>> ContainerNames(RootedPath root) => directory =>
        Entries(root, directory).Select(entry => entry.Name);

    private static Func<string, bool> ContainerEntryExists(RootedPath root) => path =>
    {
        using var handle = TryOpen(root, path, Linux.O_PATH | Linux.O_NOFOLLOW);
        return handle is not null;
    };

    private static IEnumerable<string> HostNames(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFileSystemEntries(directory).Select(entry => Path.GetFileName(entry)) : [];

    private static bool HostEntryExists(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static void CopyIn(ContainerFileSystem container, string hostSource, string containerDestination, bool several, bool followLink)
    {
        var root = container.Root;
        string full = Path.GetFullPath(hostSource);
        string name = Path.GetFileName(full.TrimEnd('/'));
        // Followed, the link's target is copied under the link's name; a dangling one is a missing source.
        if (followLink && new FileInfo(full).LinkTarget is not null)
            full = FinalTarget(full, hostSource);
        if (!Path.Exists(full) && (followLink || new FileInfo(full).LinkTarget is null))
            throw new EngineException("PathNotFound", ErrorKind.NotFound, hostSource, $"'{hostSource}' does not exist");
        RefuseSpecialFile(Linux.LStat(full).Mode & Linux.S_IFMT, hostSource);
        if (!containerDestination.EndsWith('/'))
            containerDestination = FollowLinks(root, containerDestination);
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
        if (Directory.Exists(full) && new FileInfo(full).LinkTarget is null)
        {
            using var file = TryOpen(root, containerDestination, Linux.O_PATH);
            if (file is not null)
                throw FileInTheWay(containerDestination);
        }
        string parent = Path.GetDirectoryName(containerDestination.TrimEnd('/')) ?? "/";
        using var directory = TryOpen(root, parent, Linux.O_RDONLY | Linux.O_DIRECTORY)
            ?? throw new EngineException("ContainerPathNotFound", ErrorKind.NotFound, containerDestination, $"the directory '{parent}' does not exist in the container");
        Write((int)directory.DangerousGetHandle(), Path.GetFileName(containerDestination.TrimEnd('/')), full, container);
    }

    /// <summary>What a host link points to in the end; a loop is the user's input to fix, not an I/O failure.</summary>
    private static string FinalTarget(string link, string named)
    {
        try
        {
            return File.ResolveLinkTarget(link, returnFinalTarget: true)!.FullName;
        }
        catch (IOException e)
        {
            throw new EngineException("SymbolicLinkLoop", ErrorKind.InvalidArgument, named, $"'{named}' cannot be followed: {e.Message}");
        }
    }

    /// <summary>
    /// The destination a user named, its symlinks followed inside the root as docker cp follows them (a link to a
    /// file is written through to that file of the container); what a copy makes below it never is.
    /// </summary>
    private static string FollowLinks(RootedPath root, string path)
    {
        for (int hops = 0; hops < 40; hops++)
        {
            string parent = Path.GetDirectoryName(path) ?? "/";
            using var directory = TryOpen(root, parent, Linux.O_PATH | Linux.O_DIRECTORY);
            if (directory is null)
                return path;
            int fd = Linux.openat((int)directory.DangerousGetHandle(), Path.GetFileName(path), Linux.O_PATH | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0);
            if (fd < 0)
                return path;
            try
            {
                if (Linux.Status(fd, path).Type != Linux.S_IFLNK)
                    return path;
                string target = Linux.LinkTarget(fd, path);
                path = target.StartsWith('/') ? target : parent.TrimEnd('/') + "/" + target;
            }
            finally
            {
                Linux.close(fd);
            }
        }
        throw new NativeCallException("openat2", path, Errno.ELOOP);
    }

    /// <summary>FIFOs, sockets and devices are not copied (a FIFO would block the copy, a device never end it): named alone, they are an error.</summary>
    private static void RefuseSpecialFile(uint type, string path)
    {
        if (type is not (Linux.S_IFREG or Linux.S_IFDIR or Linux.S_IFLNK))
            throw new EngineException("UnsupportedFileType", ErrorKind.InvalidArgument, path,
                $"'{path}' is a FIFO, socket or device: only files, directories and symbolic links are copied");
    }

    private static void CopyOut(RootedPath root, string containerSource, string hostDestination, bool several, bool followLink)
    {
        // O_NOFOLLOW holds the source link itself (its parents are still followed, inside the root); followed, its
        // target is resolved inside the root too (RESOLVE_IN_ROOT), an absolute link never reaching the host's files.
        using var source = TryOpen(root, containerSource, followLink ? Linux.O_PATH : Linux.O_PATH | Linux.O_NOFOLLOW)
            ?? throw new EngineException("ContainerPathNotFound", ErrorKind.NotFound, containerSource, $"'{containerSource}' does not exist in the container");
        uint type = Linux.Status((int)source.DangerousGetHandle(), containerSource).Type;
        RefuseSpecialFile(type, containerSource);
        string target = Path.GetFullPath(hostDestination);
        if (Directory.Exists(target))
            target = Path.Combine(target, Path.GetFileName(containerSource.TrimEnd('/')) is { Length: > 0 } name ? name : "root");
        else if (several || (hostDestination.EndsWith('/') && type != Linux.S_IFDIR))
            throw new EngineException("PathNotFound", ErrorKind.NotFound, hostDestination, $"the directory '{hostDestination}' does not exist");
        else if (new FileInfo(target = Path.TrimEndingDirectorySeparator(target)).LinkTarget is not null)
            // The destination the user named is followed when it is a link, as docker cp follows it.
            target = File.ResolveLinkTarget(target, returnFinalTarget: true)!.FullName;
        if (!Directory.Exists(Path.GetDirectoryName(target)))
            throw new EngineException("PathNotFound", ErrorKind.NotFound, hostDestination, $"the directory of '{hostDestination}' does not exist");
        if (type == Linux.S_IFDIR && File.Exists(target))
            throw FileInTheWay(hostDestination);
        Read((int)source.DangerousGetHandle(), target);
    }

    /// <summary>A file the user named as the destination is never replaced by a directory (docker cp refuses it too); inside a tree it is.</summary>
    private static EngineException FileInTheWay(string destination) =>
        new("FileInTheWay", ErrorKind.InvalidOperation, destination, $"cannot overwrite the file '{destination}' with a directory");

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
        var status = Linux.LStat(hostPath);
        int fd;
        switch (status.Mode & Linux.S_IFMT)
        {
            case Linux.S_IFLNK:
                using (container.Creating())
                    CopiedEntry.CreateSymlink(directory, name, new FileInfo(hostPath).LinkTarget!, name);
                Errno.Check(Linux.fchownat(directory, name, container.RootOwner.Uid, container.RootOwner.Gid, Linux.AT_SYMLINK_NOFOLLOW), "fchownat", name);
                return;
            case Linux.S_IFDIR:
                using (container.Creating())
                    fd = CopiedEntry.OpenOrMakeDirectory(directory, name, name);
                try
                {
                    foreach (var child in Directory.EnumerateFileSystemEntries(hostPath))
                    {
                        // Inside a tree, FIFOs, sockets and devices are left out, as on the way out.
                        if ((Linux.LStat(child).Mode & Linux.S_IFMT) is Linux.S_IFREG or Linux.S_IFDIR or Linux.S_IFLNK)
                            Write(fd, Path.GetFileName(child), child, container);
                    }
                }
                catch
                {
                    Linux.close(fd);
                    throw;
                }
                break;
            default:
                using (container.Creating())
                    fd = CopiedEntry.CreateFile(directory, name, name);
                try
                {
                    using var output = new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Write);
                    using var input = File.OpenRead(hostPath);
                    input.CopyTo(output);
                }
                catch
                {
                    Linux.close(fd);
                    throw;
                }
                break;
        }
        try
        {
            Errno.Check(Linux.fchown(fd, container.RootOwner.Uid, container.RootOwner.Gid), "fchown", name);
            Errno.Check(Linux.fchmod(fd, status.Mode & 0xFFF), "fchmod", name);
            Linux.SetTimes(fd, status.AccessTime, status.ModificationTime, name);
        }
        finally
        {
            Linux.close(fd);
        }
    }

    /// <summary>Reads the container entry held by <paramref name="pathFd"/> (O_PATH) into the host path <paramref name="hostPath"/>, whose directory exists.</summary>
    internal static void Read(int pathFd, string hostPath)
    {
        using var directory = new SafeFileHandle(Errno.Check(Linux.openat(Linux.AT_FDCWD, Path.GetDirectoryName(hostPath) ?? "/",
            Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0), "open", hostPath), ownsHandle: true);
        Read(pathFd, (int)directory.DangerousGetHandle(), Path.GetFileName(hostPath), hostPath);
    }

    /// <summary>Writes it as <paramref name="name"/> in the host directory <paramref name="directory"/>, by descriptors as the container side is read.</summary>
    private static void Read(int pathFd, int directory, string name, string hostPath)
    {
        var status = Linux.Status(pathFd, hostPath);
        int fd;
        switch (status.Type)
        {
            case Linux.S_IFLNK:
                CopiedEntry.CreateSymlink(directory, name, Linux.LinkTarget(pathFd, hostPath), hostPath);
                return;
            case Linux.S_IFDIR:
                fd = CopiedEntry.OpenOrMakeDirectory(directory, name, hostPath);
                try
                {
                    // A running container's /proc, /sys, ... are its mount points, not its files: an empty directory, as
                    // in docker cp and Export-Container (reading them failed the copy, or blocked on /proc/kmsg).
                    var children = Linux.IsKernelFileSystem(pathFd, hostPath) ? [] : Directory.EnumerateFileSystemEntries(RootPath.Magic(pathFd));
                    // The descriptor's /proc/self/fd link is the directory itself; listing it follows nothing else.
                    foreach (var child in children)
                    {
                        string childName = Path.GetFileName(child);
                        int childFd = Errno.Check(Linux.openat(pathFd, childName, Linux.O_PATH | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0), "openat", childName);
                        try
                        {
                            Read(childFd, fd, childName, Path.Combine(hostPath, childName));
                        }
                        finally
                        {
                            Linux.close(childFd);
                        }
                    }
                }
                catch
                {
                    Linux.close(fd);
                    throw;
                }
                break;
            case Linux.S_IFREG:
                fd = CopiedEntry.CreateFile(directory, name, hostPath);
                try
                {
                    // Reopened through its descriptor: the very inode that was checked, not a path that could change.
                    using var input = new FileStream(RootPath.Magic(pathFd), FileMode.Open, FileAccess.Read);
                    using var output = new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Write);
                    input.CopyTo(output);
                }
                catch
                {
                    Linux.close(fd);
                    throw;
                }
                break;
            default:
                // Inside a tree, devices, FIFOs and sockets are left out (the runtime makes the container's /dev itself).
                return;
        }
        try
        {
            Errno.Check(Linux.fchmod(fd, status.Permissions), "fchmod", hostPath);
            Linux.SetTimes(fd, status.Accessed, status.Modified, hostPath);
        }
        finally
        {
            Linux.close(fd);
        }
    }
}
