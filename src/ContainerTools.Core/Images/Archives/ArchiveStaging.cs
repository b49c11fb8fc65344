using System.Formats.Tar;
using System.Text.RegularExpressions;

namespace ContainerTools.Core.Images.Archives;

/// <summary>
/// An image archive (a tar) unpacked into a temp directory under the store's tmp/, so its blobs can be
/// verified and then renamed into the blob store without a second copy. Only plain files with plain names
/// are taken; anything else in the archive is not part of an image and is skipped. Deleted on Dispose; a
/// kill -9 leaves a temp that StaleTemps removes.
/// </summary>
public sealed partial class ArchiveStaging : IDisposable
{
    private ArchiveStaging(string directory) => Directory = directory;

    public string Directory { get; }

    public static ArchiveStaging Extract(string archive, string tempRoot, IProgress<ImageProgress>? progress)
    {
        System.IO.Directory.CreateDirectory(tempRoot);
        var staging = new ArchiveStaging(Path.Combine(tempRoot, StaleTemps.NewName()));
        System.IO.Directory.CreateDirectory(staging.Directory);
        try
        {
            using var file = File.OpenRead(archive);
            using var tar = LayerCompressions.Decompress(file, LayerCompressions.Detect(file));
            using var reader = new TarReader(tar);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    continue;
                string name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                if (!SafeName().IsMatch(name) || name.Split('/').Any(part => part is "." or ".."))
                    continue;
                progress?.Report(new ImageProgress("Reading archive", name, 0, 0));
                string target = Path.Combine(staging.Directory, name);
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target, overwrite: true);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ZstdSharp.ZstdException
                                      || e is NotSupportedException && e.Source == "System.Formats.Tar")
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

    /// <summary>A staged file by its name in the archive, or an InvalidData error naming what the archive lacks.</summary>
    public string PathOf(string name, string archive)
    {
        string clean = name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;
        string path = Path.Combine(Directory, clean);
        if (!SafeName().IsMatch(clean) || clean.Split('/').Any(part => part is "." or "..") || !File.Exists(path))
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
