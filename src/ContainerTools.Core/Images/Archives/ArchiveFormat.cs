using System.Formats.Tar;

namespace ContainerTools.Core.Images.Archives;

/// <summary>The kinds of file Import-ContainerImage reads.</summary>
public enum ArchiveFormat
{
    /// <summary>An OCI image layout: a directory, or a tar of one (skopeo's oci: and oci-archive:).</summary>
    OciLayout,
    /// <summary>docker save / podman save / skopeo docker-archive: (manifest.json with RepoTags).</summary>
    DockerArchive,
    /// <summary>A root file system tarball, plain, gzip or zstd (docker import).</summary>
    RootfsTarball,
}

public static class ArchiveFormats
{
    /// <summary>Tells the format from the file's content: the top-level entries of its tar, not its name.</summary>
    public static ArchiveFormat Detect(string path)
    {
        if (Directory.Exists(path))
        {
            return File.Exists(Path.Combine(path, "oci-layout")) ? ArchiveFormat.OciLayout
                : throw new EngineException("UnknownArchiveFormat", ErrorKind.InvalidData, path,
                    $"Directory {path} is not an OCI image layout (it has no oci-layout file).");
        }
        if (!File.Exists(path))
            throw new EngineException("ArchiveNotFound", ErrorKind.NotFound, path, $"No file or directory {path}.");
        using var file = File.OpenRead(path);
        var compression = LayerCompressions.Detect(file);
        using var tar = LayerCompressions.Decompress(file, compression);
        bool ociLayout = false, dockerManifest = false, any = false;
        try
        {
            using var reader = new TarReader(tar);
            while (reader.NextEntry() is { } entry)
            {
                any = true;
                string name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                ociLayout |= name == "oci-layout";
                dockerManifest |= name == "manifest.json";
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ZstdSharp.ZstdException)
        {
            throw new EngineException("CorruptArchive", ErrorKind.InvalidData, path, $"{path} is not a readable tar archive: {e.Message}", e);
        }
        if (!any)
            throw new EngineException("CorruptArchive", ErrorKind.InvalidData, path, $"{path} is not a tar archive (no entries).");
        return ociLayout ? ArchiveFormat.OciLayout : dockerManifest ? ArchiveFormat.DockerArchive : ArchiveFormat.RootfsTarball;
    }
}
