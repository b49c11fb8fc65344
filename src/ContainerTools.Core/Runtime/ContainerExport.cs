using System.Formats.Tar;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Native;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// `docker export`: a container's root file system as a tar archive, running or stopped (see
/// <see cref="ContainerFileSystem"/>). The tree is walked by descriptors from the root (each name opened
/// relative to its parent, never following a link), and file systems mounted on it (/proc, /sys, /dev,
/// volumes, bind mounts) appear as empty directories, or empty files where a file is mounted.
/// </summary>
public static class ContainerExport
{
    public static void Export(ContainerStore store, string nameOrId, string tarPath)
    {
        string target = Path.GetFullPath(tarPath);
        if (Directory.Exists(target))
            throw new EngineException("PathIsDirectory", ErrorKind.InvalidArgument, tarPath, $"'{tarPath}' is a directory: name the tar file to write");
        if (!Directory.Exists(Path.GetDirectoryName(target)))
            throw new EngineException("PathNotFound", ErrorKind.NotFound, tarPath, $"the directory of '{tarPath}' does not exist");
        using var container = ContainerFileSystem.Open(store, nameOrId, writable: false, withMounts: false);
        var root = container.Root;
        // Written beside the target and renamed into place: an interrupted export leaves no half archive.
        string temp = target + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var tar = new TarWriter(file, TarEntryFormat.Pax))
            {
                var top = Linux.Status(root.Descriptor, "/");
                foreach (string name in Children(root.Descriptor))
                    Add(tar, root.Descriptor, name, name, top.Device);
            }
            File.Move(temp, target, overwrite: true);
            AtomicFile.SyncDirectory(Path.GetDirectoryName(target)!);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static IEnumerable<string> Children(int directoryFd) =>
        Directory.EnumerateFileSystemEntries(Isolation.RootPath.Magic(directoryFd)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    private static void Add(TarWriter tar, int parentFd, string name, string entryName, ulong rootDevice)
    {
        int fd = Errno.Check(Linux.openat(parentFd, name, Linux.O_PATH | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0), "openat", entryName);
        try
        {
            var status = Linux.Status(fd, entryName);
            var entry = status.Type switch
            {
                Linux.S_IFDIR => new PaxTarEntry(TarEntryType.Directory, entryName + "/"),
                Linux.S_IFREG => new PaxTarEntry(TarEntryType.RegularFile, entryName),
                Linux.S_IFLNK => new PaxTarEntry(TarEntryType.SymbolicLink, entryName) { LinkName = Linux.LinkTarget(fd, entryName) },
                // Device nodes, FIFOs and sockets are left out, as the runtime recreates /dev itself.
                _ => null,
            };
            if (entry is null)
                return;
            entry.Mode = (UnixFileMode)status.Permissions;
            entry.Uid = (int)status.Uid;
            entry.Gid = (int)status.Gid;
            entry.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(status.Modified.Seconds);
            // A file mounted on the root (a bind mount, the container's /etc/hosts) is a mount point like a directory
            // mounted there: it is exported empty, not with the host file's content.
            if (status.Type == Linux.S_IFREG && status.Device == rootDevice)
            {
                // Reopened through its descriptor: the very inode that was checked.
                using var data = new FileStream(Isolation.RootPath.Magic(fd), FileMode.Open, FileAccess.Read);
                entry.DataStream = data;
                tar.WriteEntry(entry);
                return;
            }
            tar.WriteEntry(entry);
            if (status.Type == Linux.S_IFDIR && status.Device == rootDevice)
            {
                foreach (string child in Children(fd))
                    Add(tar, fd, child, entryName + "/" + child, rootDevice);
            }
        }
        finally
        {
            Linux.close(fd);
        }
    }
}
