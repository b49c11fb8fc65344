using ContainerTools.Core.Native;
using Tmds.Linux;

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
    /// Replaces <paramref name="path"/> whole; <paramref name="mode"/> is set before the content is visible (secrets).
    /// With <paramref name="createDirectory"/> false a missing directory is a DirectoryNotFoundException rather
    /// than made anew: a late writer must not resurrect what another process removed.
    /// </summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null, bool createDirectory = true)
    {
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (createDirectory)
            Directory.CreateDirectory(directory);
        string temp = System.IO.Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (mode is UnixFileMode unixMode)
                options.UnixCreateMode = unixMode;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            if (Directory.Exists(directory))
                File.Delete(temp);
            throw;
        }
        SyncDirectory(directory);
    }

    public static void WriteAllText(string path, string content) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>Makes a rename or create in <paramref name="directory"/> durable.</summary>
    public static unsafe void SyncDirectory(string directory)
    {
        int fd;
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(directory + "\0"))
            fd = Errno.Check(LibC.open(p, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC), "open", directory);
        try
        {
            Errno.Check(LibC.fsync(fd), "fsync", directory);
        }
        finally
        {
            LibC.close(fd);
        }
    }
}
