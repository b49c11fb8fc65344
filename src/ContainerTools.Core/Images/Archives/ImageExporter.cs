using System.Formats.Tar;
using ContainerTools.Core.Images.Oci;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Images.Archives;

/// <summary>The archive formats Export-ContainerImage writes.</summary>
public enum ExportFormat
{
    /// <summary>An OCI image layout in a tar (skopeo's oci-archive:): blobs kept byte for byte, so every digest survives.</summary>
    Oci,
    /// <summary>A docker-archive (docker load / podman load): uncompressed layers, the config (so the image id) kept.</summary>
    Docker,
}

/// <summary>
/// Export-ContainerImage's engine: writes an image of the store as an archive, the target whole or not at all
/// (<see cref="WholeFile"/>).
/// </summary>
public static class ImageExporter
{
    private static readonly DateTimeOffset EntryTime = DateTimeOffset.UnixEpoch;

    public static ImageRecord Export(StoreLocation store, string nameOrId, string path, ExportFormat format, IProgress<ImageProgress>? progress = null)
    {
        var images = new ImageStore(store);
        StaleTemps.Remove(store.TempDirectory); // a killed Docker-format export leaves a layer it expanded there
        var image = images.Resolve(nameOrId);
        var name = NameFor(image, nameOrId);
        string target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(directory))
            throw new EngineException("ExportDirectoryNotFound", ErrorKind.NotFound, path, $"Directory {directory} does not exist.");
        WholeFile.Write(target, file =>
        {
            using var writer = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: true);
            if (format == ExportFormat.Oci)
                WriteOci(images, image, name, writer, progress);
            else
                WriteDocker(images, image, name, writer, store, progress);
        });
        return image;
    }

    /// <summary>The name to record: the one asked for if it names the image, else the image's first name.</summary>
    private static ImageReference? NameFor(ImageRecord image, string nameOrId) =>
        ImageReference.TryParse(nameOrId, out var asked) && asked.Digest is null && image.Names.Contains(asked.ToString()) ? asked
            : image.Names.Count > 0 ? ImageReference.Parse(image.Names[0]) : null;

    private static void WriteOci(ImageStore images, ImageRecord image, ImageReference? name, TarWriter writer, IProgress<ImageProgress>? progress)
    {
        var (manifest, _) = images.ReadDocuments(image.ManifestDigest);
        var descriptor = new Descriptor
        {
            MediaType = manifest.MediaType ?? MediaTypes.OciManifest,
            Digest = image.ManifestDigest,
            Size = images.Blobs.Size(image.ManifestDigest),
            Annotations = name is null ? null : new Dictionary<string, string>
            {
                [ImageIndex.RefNameAnnotation] = name.ToString(),
                ["io.containerd.image.name"] = name.ToString(),
            },
        };
        WriteBytes(writer, "oci-layout", OciJson.Serialize(new LayoutMarker(), OciJsonContext.Default.LayoutMarker));
        WriteBytes(writer, "index.json", OciJson.Serialize(new IndexDocument { MediaType = MediaTypes.OciIndex, Manifests = [descriptor] }, OciJsonContext.Default.IndexDocument));
        var blobs = new[] { image.ManifestDigest, manifest.Config!.Digest }.Concat(image.Layers.Select(l => l.Digest)).Distinct().ToList();
        for (int i = 0; i < blobs.Count; i++)
        {
            progress?.Report(new ImageProgress("Writing blobs", blobs[i], i, blobs.Count));
            WriteFile(writer, "blobs/sha256/" + Digest.Hex(blobs[i]), images.Blobs.PathOf(blobs[i]));
        }
    }

    private static void WriteDocker(ImageStore images, ImageRecord image, ImageReference? name, TarWriter writer, StoreLocation store, IProgress<ImageProgress>? progress)
    {
        string configName = Digest.Hex(image.Id) + ".json";
        var layerNames = new List<string>();
        for (int i = 0; i < image.Layers.Count; i++)
        {
            var layer = image.Layers[i];
            progress?.Report(new ImageProgress("Writing layers", layer.Digest, i, image.Layers.Count));
            string entryName = Digest.Hex(layer.DiffId) + ".tar";
            if (!layerNames.Contains(entryName))
                WriteUncompressedLayer(images, layer, entryName, writer, store);
            layerNames.Add(entryName);
        }
        WriteFile(writer, configName, images.Blobs.PathOf(image.Id));
        var entry = new DockerArchiveEntry
        {
            Config = configName,
            RepoTags = name is null ? [] : [name.Familiar],
            Layers = layerNames,
        };
        WriteBytes(writer, "manifest.json", OciJson.Serialize(new List<DockerArchiveEntry> { entry }, OciJsonContext.Default.ListDockerArchiveEntry));
    }

    /// <summary>docker-archive layers are plain tars; a compressed blob is expanded into a temp file first (a tar entry needs its length up front).</summary>
    private static void WriteUncompressedLayer(ImageStore images, ImageLayer layer, string entryName, TarWriter writer, StoreLocation store)
    {
        using var blob = images.Blobs.OpenRead(layer.Digest);
        var compression = LayerCompressions.Detect(blob);
        if (compression == LayerCompression.None)
        {
            WriteStream(writer, entryName, blob);
            return;
        }
        Directory.CreateDirectory(store.TempDirectory);
        string temp = Path.Combine(store.TempDirectory, AtomicFile.TempName());
        try
        {
            using (var tar = LayerCompressions.Decompress(blob, compression))
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose))
            {
                tar.CopyTo(file, 1 << 16);
                file.Position = 0;
                WriteStream(writer, entryName, file);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void WriteFile(TarWriter writer, string entryName, string file)
    {
        using var stream = File.OpenRead(file);
        WriteStream(writer, entryName, stream);
    }

    private static void WriteBytes(TarWriter writer, string entryName, byte[] bytes) =>
        WriteStream(writer, entryName, new MemoryStream(bytes));

    private static void WriteStream(TarWriter writer, string entryName, Stream data)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, entryName)
        {
            DataStream = data,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = EntryTime,
        };
        writer.WriteEntry(entry);
    }
}
