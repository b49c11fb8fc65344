using ContainerTools.Core.Isolation;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Store;

/// <summary>
/// A file written at a path the user gave (an exported archive): absent or complete, never half written, and a
/// kill -9 while it is written leaves nothing in the user's directory. It is written unnamed (O_TMPFILE) in that
/// directory, named only once whole and synced, then renamed over the target.
/// </summary>
public static class WholeFile
{
    /// <summary>Writes <paramref name="target"/> (a full path whose directory exists) with what <paramref name="write"/> puts in the stream.</summary>
    public static void Write(string target, Action<Stream> write)
    {
        string directory = Path.GetDirectoryName(target)!;
        string temp = target + AtomicFile.TempPrefix + Environment.ProcessId;
        try
        {
            using (var file = CreateUnnamed(directory, temp, out bool unnamed))
            {
                write(file);
                file.Flush(flushToDisk: true);
                if (unnamed)
                {
                    File.Delete(temp);
                    Errno.Check(Linux.linkat(Linux.AT_FDCWD, RootPath.Magic(file.SafeFileHandle), Linux.AT_FDCWD, temp, Linux.AT_SYMLINK_FOLLOW), "linkat", temp);
                }
            }
            File.Move(temp, target, overwrite: true);
            AtomicFile.SyncDirectory(directory);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// An unnamed file (O_TMPFILE) in <paramref name="directory"/>, gone with its descriptor if the writer dies;
    /// a file system without them (NFS, FUSE) gets the named temp file instead.
    /// </summary>
    private static FileStream CreateUnnamed(string directory, string temp, out bool unnamed)
    {
        int fd = Linux.openat(Linux.AT_FDCWD, directory, Linux.O_WRONLY | Linux.O_TMPFILE | Linux.O_CLOEXEC, 0x1B6 /* 0666, less the umask */);
        unnamed = fd >= 0;
        if (unnamed)
            return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 1 << 16);
        if (Errno.Last is not (Errno.EOPNOTSUPP or Errno.EISDIR))
            throw new NativeCallException("open O_TMPFILE", directory, Errno.Last);
        return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }
}
