using ContainerTools.Core.Containers;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Store;

/// <summary>
/// Metadata writes that a crash can never leave half done: a temp file in the same directory, fsync, rename
/// over the target, fsync of the directory. Readers see the old content or the new, never a mix.
/// </summary>
public static class AtomicFile
{
    /// <summary>Names of temp files this class creates; a store repair deletes leftovers with this prefix.</summary>
    public const string TempPrefix = ".tmp-";

    /// <summary>
    /// A temp name that carries its creator's <see cref="ProcessStamp"/> (".tmp-&lt;stamp&gt;-&lt;guid&gt;"), so a later
    /// command can tell a killed process's leftover (safe to delete) from a write another live process is doing right now.
    /// </summary>
    public static string TempName() => $"{TempPrefix}{ProcessStamp.Current}-{Guid.NewGuid():N}";

    /// <summary>
    /// Replaces <paramref name="path"/> whole; <paramref name="mode"/> is set before the content is visible (secrets).
    /// With <paramref name="createDirectory"/> false a missing directory is a DirectoryNotFoundException rather
    /// than made anew: a late writer must not resurrect what another process removed. With
    /// <paramref name="durable"/> false the replacement is still atomic (a killed process leaves old or new) but
    /// not synced: for state that means nothing after the machine restarts (a running container's state).
    /// </summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null, bool createDirectory = true, bool durable = true)
    {
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (createDirectory)
            Directory.CreateDirectory(directory);
        string temp = System.IO.Path.Combine(directory, TempName());
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (mode is UnixFileMode unixMode)
                options.UnixCreateMode = unixMode;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: durable);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            if (Directory.Exists(directory))
                File.Delete(temp);
            throw;
        }
        if (durable)
            SyncDirectory(directory);
    }

    public static void WriteAllText(string path, string content) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>
    /// Writes a new file into a staging directory no reader sees yet (directly in it, not below). It needs no
    /// temp, rename or directory sync of its own, nor an fsync (~0.4 ms each, one per file on the
    /// container-create path): its writeout starts here, and <see cref="Publish"/> waits for every file's
    /// at once, then commits the journal once for all (git's core.fsyncMethod=batch, with the waits overlapped).
    /// </summary>
    public static void WriteStaged(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(content);
        stream.Flush();
        Errno.Check(Linux.sync_file_range((int)stream.SafeFileHandle.DangerousGetHandle(), 0, 0, Linux.SYNC_FILE_RANGE_WRITE), "sync_file_range", path);
    }

    /// <summary>
    /// Renames a complete staging directory written by <see cref="WriteStaged"/> to <paramref name="target"/>:
    /// its files' data on disk and its entries synced first, the rename after. The journal commits in order,
    /// so the syncs here also make the staged files' sizes and blocks durable before the rename is.
    /// </summary>
    public static void Publish(string staging, string target)
    {
        foreach (string file in Directory.EnumerateFiles(staging))
            AwaitWriteout(file);
        SyncDirectory(staging);
        Directory.Move(staging, target);
        SyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(target))!);
    }

    /// <summary>Waits until a file's data, whose writeout <see cref="WriteStaged"/> started, is on disk.</summary>
    private static void AwaitWriteout(string path) =>
        OnDescriptor(path, 0, "sync_file_range", fd => Linux.sync_file_range(fd, 0, 0,
            Linux.SYNC_FILE_RANGE_WAIT_BEFORE | Linux.SYNC_FILE_RANGE_WRITE | Linux.SYNC_FILE_RANGE_WAIT_AFTER));

    /// <summary>Makes a rename or create in <paramref name="directory"/> durable.</summary>
    public static void SyncDirectory(string directory) => OnDescriptor(directory, Linux.O_DIRECTORY, "fsync", Linux.fsync);

    /// <summary>Opens <paramref name="path"/> read-only (plus <paramref name="flags"/>), makes one checked call on it, closes it.</summary>
    private static void OnDescriptor(string path, int flags, string call, Func<int, int> action)
    {
        int fd = Errno.Check(Linux.openat(Linux.AT_FDCWD, path, Linux.O_RDONLY | Linux.O_CLOEXEC | flags, 0), "open", path);
        try
        {
            Errno.Check(action(fd), call, path);
        }
        finally
        {
            Linux.close(fd);
        }
    }
}
