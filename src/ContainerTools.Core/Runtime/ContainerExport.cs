using System.Formats.Tar;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Isolation.UserNamespaces;
using ContainerTools.Core.Native;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// `docker export`: a container's root file system as a tar archive, running or stopped (see
/// <see cref="ContainerFileSystem"/>). The tree is walked by descriptors from the root (each name opened
/// relative to its parent, never following a link), and file systems mounted on it (/proc, /sys, /dev,
/// volumes, bind mounts) appear as empty directories, or empty files where a file is mounted. As docker's
/// archive: hard links are hard-link entries, owners are the container's ids (with a user namespace of its own,
/// not the host ids its slice stores) with the names its own /etc/passwd and /etc/group give them, and times keep
/// their fraction of a second (PAX).
/// </summary>
public static class ContainerExport
{
    public static void Export(ContainerStore store, string nameOrId, string tarPath)
    {
        string target = Path.GetFullPath(tarPath);
        // A link named as the archive is written through, as docker export -o writes through it (renaming over
        // it replaced the link with the archive and left what it points at as it was).
        if (new FileInfo(target).LinkTarget is not null)
            target = File.ResolveLinkTarget(target, returnFinalTarget: true)!.FullName;
        if (Directory.Exists(target))
            throw new EngineException("PathIsDirectory", ErrorKind.InvalidArgument, tarPath, $"'{tarPath}' is a directory: name the tar file to write");
        string directory = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(directory))
            throw new EngineException("PathNotFound", ErrorKind.NotFound, tarPath, $"the directory of '{tarPath}' does not exist");
        using var container = ContainerFileSystem.Open(store, nameOrId, writable: false, withMounts: false);
        WholeFile.Write(target, file =>
        {
            using var tar = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: true);
            new Walk(tar, container.Root, container.UserNamespace).Run();
        });
    }

    /// <summary>One walk of a root into an archive: the files seen with more than one link, the container's ids and account names.</summary>
    private sealed class Walk(TarWriter tar, RootedPath root, ContainerIds? userNamespace)
    {
        private readonly Dictionary<(ulong Device, ulong Inode), string> _firstNames = [];
        private readonly AccountNames _names = AccountNames.Read(root);
        private ulong _rootDevice;

        public void Run()
        {
            _rootDevice = Linux.Status(root.Descriptor, "/").Device;
            foreach (string name in Children(root.Descriptor))
                Add(root.Descriptor, name, name);
        }

        private static IEnumerable<string> Children(int directoryFd) =>
            Directory.EnumerateFileSystemEntries(RootPath.Magic(directoryFd)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

        private void Add(int parentFd, string name, string entryName)
        {
            int fd = Errno.Check(Linux.openat(parentFd, name, Linux.O_PATH | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0), "openat", entryName);
            try
            {
                var status = Linux.Status(fd, entryName);
                // A file mounted on the root (a bind mount, the container's /etc/hosts) is a mount point like a
                // directory mounted there: it is exported empty, not with the host file's content.
                bool ownFile = status.Type == Linux.S_IFREG && status.Device == _rootDevice;
                string? linkedTo = ownFile && status.Links > 1 ? FirstNameOf(status, entryName) : null;
                var entry = status.Type switch
                {
                    Linux.S_IFDIR => new PaxTarEntry(TarEntryType.Directory, entryName + "/"),
                    Linux.S_IFREG when linkedTo is not null => new PaxTarEntry(TarEntryType.HardLink, entryName) { LinkName = linkedTo },
                    Linux.S_IFREG => new PaxTarEntry(TarEntryType.RegularFile, entryName),
                    Linux.S_IFLNK => new PaxTarEntry(TarEntryType.SymbolicLink, entryName) { LinkName = Linux.LinkTarget(fd, entryName) },
                    // Device nodes, FIFOs and sockets are left out, as the runtime recreates /dev itself.
                    _ => null,
                };
                if (entry is null)
                    return;
                entry.Mode = (UnixFileMode)status.Permissions;
                uint uid = userNamespace?.UidInside(status.Uid) ?? status.Uid;
                uint gid = userNamespace?.GidInside(status.Gid) ?? status.Gid;
                entry.Uid = (int)uid;
                entry.Gid = (int)gid;
                entry.UserName = _names.User(uid);
                entry.GroupName = _names.Group(gid);
                entry.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(status.Modified.Seconds).AddTicks(status.Modified.Nanoseconds / 100);
                if (ownFile && linkedTo is null)
                {
                    // Reopened through its descriptor: the very inode that was checked.
                    using var data = new FileStream(RootPath.Magic(fd), FileMode.Open, FileAccess.Read);
                    entry.DataStream = data;
                    tar.WriteEntry(entry);
                    return;
                }
                tar.WriteEntry(entry);
                if (status.Type == Linux.S_IFDIR && status.Device == _rootDevice)
                {
                    foreach (string child in Children(fd))
                        Add(fd, child, entryName + "/" + child);
                }
            }
            finally
            {
                Linux.close(fd);
            }
        }

        /// <summary>The name this inode was first written under, or null (and it is remembered) when this is its first name.</summary>
        private string? FirstNameOf(Linux.FileStatus status, string entryName)
        {
            if (_firstNames.TryGetValue((status.Device, status.Inode), out string? first))
                return first;
            _firstNames[(status.Device, status.Inode)] = entryName;
            return null;
        }
    }
}
