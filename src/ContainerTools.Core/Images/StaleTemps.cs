using ContainerTools.Core.Containers;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Images;

/// <summary>
/// Temp names that carry their creator's <see cref="ProcessStamp"/> (".tmp-&lt;stamp&gt;-&lt;guid&gt;"), so any later command
/// can tell leftovers of a killed process (safe to delete) from work another live process is doing right now.
/// </summary>
public static class StaleTemps
{
    /// <summary>Deletes temp files and directories in <paramref name="directory"/> whose creator is gone.</summary>
    public static void Remove(string directory)
    {
        if (!Directory.Exists(directory))
            return;
        foreach (string path in Directory.EnumerateFileSystemEntries(directory, AtomicFile.TempPrefix + "*"))
        {
            if (OwnerAlive(Path.GetFileName(path)))
                continue;
            try
            {
                if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
                    Directory.Delete(path, recursive: true);
                else
                    File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another process is tidying the same leftover.
            }
        }
    }

    private static bool OwnerAlive(string name)
    {
        string rest = name[AtomicFile.TempPrefix.Length..];
        int dash = rest.IndexOf('-');
        // A temp without a stamp was written by an older version, whose processes are gone.
        return dash > 0 && ProcessStamp.IsAlive(rest[..dash]);
    }
}
