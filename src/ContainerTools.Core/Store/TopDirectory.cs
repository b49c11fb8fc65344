using ContainerTools.Core.Native;

namespace ContainerTools.Core.Store;

/// <summary>
/// Marks a directory whose children are independent trees (each unpacked layer) as a top directory, so ext4
/// places each new child in a block group with free inodes instead of beside the parent. It matters: without a
/// journal ext4 skips every inode freed in the last minute when it allocates one, and a layer unpacked next to
/// a layer just deleted paid that scan for each of its thousands of files (measured: 6000 files, 14 s vs 0.6 s).
/// </summary>
public static class TopDirectory
{
    /// <summary>Sets the flag if the file system has it; a hint, so a file system without it (tmpfs, overlay) is fine.</summary>
    public static unsafe void Mark(string directory)
    {
        int fd = Linux.openat(Linux.AT_FDCWD, directory, Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        if (fd == -1)
            return;
        try
        {
            int flags;
            if (Linux.ioctl(fd, Linux.FS_IOC_GETFLAGS, &flags) == -1 || (flags & Linux.FS_TOPDIR_FL) != 0)
                return;
            flags |= Linux.FS_TOPDIR_FL;
            Linux.ioctl(fd, Linux.FS_IOC_SETFLAGS, &flags);
        }
        finally
        {
            Linux.close(fd);
        }
    }
}
