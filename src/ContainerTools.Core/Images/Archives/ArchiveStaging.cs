using System.Formats.Tar;
using System.Text.RegularExpressions;
using ContainerTools.Core.Native;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Images.Archives;

/// <summary>
/// An image archive (a tar) unpacked into a temp directory under the store's tmp/, so its blobs can be
/// verified and then renamed into the blob store without a second copy. Only plain files with plain names
/// are taken, and links that lead to one of them inside the archive; anything else in the archive is not part
/// of an image and is skipped. Deleted on Dispose; a kill -9 leaves a temp that StaleTemps removes.
/// </summary>
public sealed partial class ArchiveStaging : IDisposable
{
    private ArchiveStaging(string directory) => Directory = directory;

    public string Directory { get; }

    public static ArchiveStaging Extract(string archive, string tempRoot, IProgress<ImageProgress>? progress)
    {
        System.IO.Directory.CreateDirectory(tempRoot);
        var staging = new ArchiveStaging(Path.Combine(tempRoot, AtomicFile.TempName()));
        System.IO.Directory.CreateDirectory(staging.Directory);
        try
        {
            using var file = File.OpenRead(archive);
            using var tar = LayerCompressions.Decompress(file, LayerCompressions.Detect(file));
            using var reader = new TarReader(tar);
            var links = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.NextEntry() is { } entry)
            {
                string name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                if (!IsSafe(name))
                    continue;
                if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                {
                    // A symlink's target is relative to its directory, a hard link's to the archive's top.
                    string from = entry.EntryType is TarEntryType.SymbolicLink && name.Contains('/') ? name[..name.LastIndexOf('/')] : "";
                    if (InArchive(from, entry.LinkName) is { } linked)
                        links[name] = linked;
                    continue;
                }
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    continue;
                progress?.Report(new ImageProgress("Reading archive", name, 0, 0));
                string target = Path.Combine(staging.Directory, name);
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target, overwrite: true);
            }
            staging.Link(links);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ZstdSharp.ZstdException)
        {
            staging.Dispose();
            throw new EngineException("CorruptArchive", ErrorKind.InvalidData, archive, $"{archive} is not a readable tar archive: {e.Message}", e);
        }
        catch
        {
            staging.Dispose();
            throw;
        }
        return staging;
    }

    /// <summary>
    /// Gives each link's name the staged file it leads to (a hard link, no copy). Older docker save writes a layer
    /// that two image entries share once and a symlink to it for the other ("&lt;id&gt;/layer.tar -&gt;
    /// ../&lt;id&gt;/layer.tar"), and a tar of a directory writes a file's second name as a hard link; skopeo and
    /// podman read both. A link that leads outside the archive, to no staged file or around a loop gives nothing.
    /// </summary>
    private void Link(Dictionary<string, string> links)
    {
        foreach (string name in links.Keys)
        {
            string target = name;
            for (int hops = 0; hops <= links.Count && links.TryGetValue(target, out string? next); hops++)
                target = next;
            string file = Path.Combine(Directory, target);
            string link = Path.Combine(Directory, name);
            if (links.ContainsKey(target) || !File.Exists(file) || File.Exists(link))
                continue;
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            Errno.Check(Linux.linkat(Linux.AT_FDCWD, file, Linux.AT_FDCWD, link, 0), "linkat", link);
        }
    }

    /// <summary>Where a link target leads, as a name in the archive, resolved from directory <paramref name="from"/>; null if outside it.</summary>
    private static string? InArchive(string from, string linkTarget)
    {
        if (linkTarget.StartsWith('/'))
            return null;
        var parts = new List<string>(from.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (string part in linkTarget.Split('/'))
        {
            if (part is "" or ".")
                continue;
            if (part != "..")
                parts.Add(part);
            else if (parts.Count == 0)
                return null;
            else
                parts.RemoveAt(parts.Count - 1);
        }
        string name = string.Join('/', parts);
        return IsSafe(name) ? name : null;
    }

    private static bool IsSafe(string name) => SafeName().IsMatch(name) && !name.Split('/').Any(part => part is "." or "..");

    /// <summary>A staged file by its name in the archive, or an InvalidData error naming what the archive lacks.</summary>
    public string PathOf(string name, string archive)
    {
        string clean = name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
        string path = Path.Combine(Directory, clean);
        if (!IsSafe(clean) || !File.Exists(path))
            throw new EngineException("ArchiveEntryMissing", ErrorKind.InvalidData, archive, $"{archive} has no file '{name}'.");
        return path;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.:+-][A-Za-z0-9_.:+/-]*$")]
    private static partial Regex SafeName();
}
