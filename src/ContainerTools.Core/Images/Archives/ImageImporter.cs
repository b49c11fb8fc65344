using System.Security.Cryptography;
using ContainerTools.Core.Images.Oci;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Images.Archives;

/// <summary>An image an import brought in, with the names the import gave it (it may have had others before).</summary>
public sealed record ImportedImage(ImageRecord Image, IReadOnlyList<string> Names);

/// <summary>
/// Import-ContainerImage's engine: reads an OCI layout (directory or tar), a docker-archive or a root file
/// system tarball into the store. Blobs the store already has are not stored again. If anything is wrong
/// with the input, the blobs this import added are removed again, so the store is exactly as it was.
/// </summary>
public sealed class ImageImporter
{
    private const string ContainerdNameAnnotation = "io.containerd.image.name";
    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly ImageStore _images;
    private readonly StoreLocation _store;
    private readonly IProgress<ImageProgress>? _progress;
    private readonly List<string> _added = [];
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);

    private ImageImporter(ImageStore images, StoreLocation store, IProgress<ImageProgress>? progress)
    {
        _images = images;
        _store = store;
        _progress = progress;
    }

    /// <summary>Imports every image in <paramref name="path"/>; <paramref name="name"/> names it (required for a rootfs tarball).</summary>
    public static IReadOnlyList<ImportedImage> Import(StoreLocation store, string path, ImageReference? name, IProgress<ImageProgress>? progress = null)
    {
        var images = new ImageStore(store);
        using var ingest = images.BeginIngest();
        var importer = new ImageImporter(images, store, progress);
        try
        {
            return importer.ImportAny(Path.GetFullPath(path), name)
                .Select(image => new ImportedImage(image, image.Names.Where(n => importer._given.Contains(n)).ToList()))
                .ToList();
        }
        catch
        {
            images.DiscardUnreferenced(importer._added);
            throw;
        }
    }

    private IReadOnlyList<ImageRecord> ImportAny(string path, ImageReference? name)
    {
        if (name is { Digest: not null })
            throw new EngineException("InvalidImageTag", ErrorKind.InvalidArgument, name.ToString(), $"'{name}' names a digest; an imported image needs name:tag.");
        _progress?.Report(new ImageProgress("Importing", path, 0, 0));
        switch (ArchiveFormats.Detect(path))
        {
            case ArchiveFormat.OciLayout when Directory.Exists(path):
                return ImportLayout(path, path, adopt: false, name);
            case ArchiveFormat.OciLayout:
            {
                using var staging = ArchiveStaging.Extract(path, _store.TempDirectory, _progress);
                return ImportLayout(staging.Directory, path, adopt: true, name);
            }
            case ArchiveFormat.DockerArchive:
            {
                using var staging = ArchiveStaging.Extract(path, _store.TempDirectory, _progress);
                return ImportDockerArchive(staging, path, name);
            }
            default:
                return [ImportRootfs(path, name)];
        }
    }

    private IReadOnlyList<ImageRecord> ImportLayout(string layout, string archive, bool adopt, ImageReference? name)
    {
        var marker = OciJson.Parse(ReadSmall(Path.Combine(layout, "oci-layout"), archive), OciJsonContext.Default.LayoutMarker, "oci-layout file", archive);
        if (!marker.ImageLayoutVersion.StartsWith("1.", StringComparison.Ordinal))
            throw new EngineException("UnknownLayoutVersion", ErrorKind.InvalidData, archive, $"{archive} is an OCI layout of version {marker.ImageLayoutVersion}; 1.x is supported.");
        var index = OciJson.Parse(ReadSmall(Path.Combine(layout, "index.json"), archive), OciJsonContext.Default.IndexDocument, "index.json", archive);
        if (index.Manifests.Count == 0)
            throw new EngineException("NoImageInArchive", ErrorKind.InvalidData, archive, $"{archive} holds no image.");
        if (name is not null && index.Manifests.Select(d => d.Digest).Distinct().Count() > 1)
            throw new EngineException("NameForSeveralImages", ErrorKind.InvalidArgument, archive, $"{archive} holds several images; -Name can name only one.");
        var results = new List<ImageRecord>();
        foreach (var group in index.Manifests.GroupBy(d => d.Digest))
        {
            var manifest = ChooseManifest(layout, archive, adopt, group.First());
            var names = name is not null ? [name] : group.Select(LayoutName).OfType<ImageReference>().ToList();
            var parsed = OciJson.Parse(_images.Blobs.ReadAllBytes(manifest.Digest, OciJson.MaxDocumentSize), OciJsonContext.Default.Manifest, "manifest", manifest.Digest);
            if (parsed.Config is null || parsed.Layers is null)
                throw new EngineException("InvalidManifest", ErrorKind.InvalidData, manifest.Digest, $"Manifest {manifest.Digest} has no config or layers.");
            BringIn(layout, archive, adopt, parsed.Config);
            for (int i = 0; i < parsed.Layers.Count; i++)
            {
                _progress?.Report(new ImageProgress("Copying blobs", parsed.Layers[i].Digest, i, parsed.Layers.Count));
                BringIn(layout, archive, adopt, parsed.Layers[i]);
            }
            results.Add(Register(manifest.Digest, names));
        }
        return results;
    }

    /// <summary>An index entry may itself be an index (multi-platform): this machine's platform is taken from it.</summary>
    private Descriptor ChooseManifest(string layout, string archive, bool adopt, Descriptor descriptor)
    {
        for (int depth = 0; depth < 4; depth++)
        {
            BringIn(layout, archive, adopt, descriptor);
            if (!MediaTypes.IsIndex(descriptor.MediaType))
            {
                if (!MediaTypes.IsManifest(descriptor.MediaType))
                    throw new EngineException("UnknownMediaType", ErrorKind.InvalidData, descriptor.Digest,
                        $"'{descriptor.MediaType}' is not a media type this store can use for {descriptor.Digest}.");
                return descriptor;
            }
            var nested = OciJson.Parse(_images.Blobs.ReadAllBytes(descriptor.Digest, OciJson.MaxDocumentSize), OciJsonContext.Default.IndexDocument, "image index", descriptor.Digest);
            descriptor = nested.Manifests.FirstOrDefault(d => d.Platform is { } p && p.Os == HostPlatform.Os && p.Architecture == HostPlatform.Architecture)
                ?? throw new EngineException("NoMatchingPlatform", ErrorKind.NotFound, descriptor.Digest,
                    $"Image index {descriptor.Digest} has no image for {HostPlatform.Os}/{HostPlatform.Architecture}.");
        }
        throw new EngineException("InvalidManifest", ErrorKind.InvalidData, archive, $"{archive} nests image indexes too deeply.");
    }

    /// <summary>
    /// The name an OCI layout gives an image: containerd's full-name annotation, else ref.name when it is a full
    /// reference (skopeo's oci:dir:tag writes only a tag, which names no repository: such an image comes in unnamed).
    /// </summary>
    private static ImageReference? LayoutName(Descriptor d)
    {
        string? text = d.Annotations?.GetValueOrDefault(ContainerdNameAnnotation) ?? ImageIndex.NameOf(d);
        if (text is null || !(text.Contains('/') || text.Contains(':')))
            return null;
        return ImageReference.TryParse(text, out var reference) && reference.Digest is null ? reference : null;
    }

    private void BringIn(string layout, string archive, bool adopt, Descriptor descriptor)
    {
        string hex = Digest.Hex(descriptor.Digest);
        if (descriptor.Size < 0)
            throw new EngineException("InvalidBlobSize", ErrorKind.InvalidData, descriptor.Digest, $"Blob {descriptor.Digest} declares a negative size.");
        if (_images.Blobs.Has(descriptor.Digest))
            return;
        string file = Path.Combine(layout, "blobs", "sha256", hex);
        if (!File.Exists(file))
            throw new EngineException("ArchiveBlobMissing", ErrorKind.InvalidData, descriptor.Digest, $"{archive} lacks blob {descriptor.Digest}.");
        if (adopt)
        {
            _images.Blobs.Adopt(file, out bool added, descriptor.Digest, descriptor.Size);
            if (added)
                Track(descriptor.Digest);
            return;
        }
        using var stream = File.OpenRead(file);
        Track(_images.Blobs.Put(stream, descriptor.Digest, descriptor.Size));
    }

    private IReadOnlyList<ImageRecord> ImportDockerArchive(ArchiveStaging staging, string archive, ImageReference? name)
    {
        var entries = OciJson.Parse(ReadSmall(staging.PathOf("manifest.json", archive), archive),
            OciJsonContext.Default.ListDockerArchiveEntry, "docker-archive manifest.json", archive);
        if (entries.Count == 0)
            throw new EngineException("NoImageInArchive", ErrorKind.InvalidData, archive, $"{archive} holds no image.");
        if (name is not null && entries.Count > 1)
            throw new EngineException("NameForSeveralImages", ErrorKind.InvalidArgument, archive, $"{archive} holds several images; -Name can name only one.");
        var layerCache = new Dictionary<string, Descriptor>(StringComparer.Ordinal);
        var results = new List<ImageRecord>();
        foreach (var entry in entries)
        {
            string configPath = staging.PathOf(entry.Config, archive);
            var config = OciJson.Parse(ReadSmall(configPath, archive), OciJsonContext.Default.ConfigFile, "image config", entry.Config);
            long configSize = new FileInfo(configPath).Length;
            string configDigest = Adopt(configPath);
            var layers = new List<Descriptor>();
            foreach (string layer in entry.Layers)
            {
                _progress?.Report(new ImageProgress("Copying layers", layer, layers.Count, entry.Layers.Count));
                if (!layerCache.TryGetValue(layer, out var descriptor))
                {
                    string file = staging.PathOf(layer, archive);
                    LayerCompression compression;
                    using (var stream = File.OpenRead(file))
                        compression = LayerCompressions.Detect(stream);
                    long size = new FileInfo(file).Length;
                    descriptor = new Descriptor { MediaType = LayerCompressions.OciMediaType(compression), Digest = Adopt(file), Size = size };
                    layerCache[layer] = descriptor;
                }
                layers.Add(descriptor);
            }
            if (config.RootFs.DiffIds.Count != layers.Count)
                throw new EngineException("LayerCountMismatch", ErrorKind.InvalidData, archive,
                    $"{archive}: image {entry.Config} lists {layers.Count} layers but its config lists {config.RootFs.DiffIds.Count} diff IDs.");
            var manifest = new Manifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = configSize },
                Layers = layers,
            };
            string manifestDigest = PutBytes(OciJson.Serialize(manifest, OciJsonContext.Default.Manifest));
            var names = name is not null ? [name] : (entry.RepoTags ?? []).Select(ParseRepoTag(archive)).ToList();
            results.Add(Register(manifestDigest, names));
        }
        return results;
    }

    private static Func<string, ImageReference> ParseRepoTag(string archive) => text =>
        ImageReference.TryParse(text, out var reference) && reference.Digest is null ? reference
            : throw new EngineException("InvalidImageReference", ErrorKind.InvalidData, archive, $"{archive} names an image '{text}', which is not a valid name:tag.");

    private ImageRecord ImportRootfs(string path, ImageReference? name)
    {
        if (name is null)
            throw new EngineException("NameRequired", ErrorKind.InvalidArgument, path,
                $"{path} is a root file system tarball, which carries no name: give one with -Name (for example -Name myimage:latest).");
        string diffId;
        LayerCompression compression;
        long size;
        using (var file = File.OpenRead(path))
        {
            compression = LayerCompressions.Detect(file);
            size = file.Length;
            using var tar = LayerCompressions.Decompress(file, compression);
            try
            {
                diffId = Digest.FromHash(SHA256.HashData(tar));
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or ZstdSharp.ZstdException)
            {
                throw new EngineException("CorruptArchive", ErrorKind.InvalidData, path, $"{path} cannot be decompressed: {e.Message}", e);
            }
        }
        _progress?.Report(new ImageProgress("Copying layer", path, 0, 1));
        string layerDigest;
        using (var file = File.OpenRead(path))
            layerDigest = Track(_images.Blobs.Put(file, null, size));
        var now = DateTimeOffset.UtcNow;
        var config = new ConfigFile
        {
            Created = now,
            Architecture = HostPlatform.Architecture,
            Os = HostPlatform.Os,
            Config = new RunConfig { Env = [DefaultPath] },
            RootFs = new RootFs { DiffIds = [diffId] },
            History = [new HistoryEntry { Created = now, CreatedBy = "Import-ContainerImage " + Path.GetFileName(path), Comment = "imported from a root file system tarball" }],
        };
        byte[] configBytes = OciJson.Serialize(config, OciJsonContext.Default.ConfigFile);
        var manifest = new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = PutBytes(configBytes), Size = configBytes.Length },
            Layers = [new Descriptor { MediaType = LayerCompressions.OciMediaType(compression), Digest = layerDigest, Size = size }],
        };
        return Register(PutBytes(OciJson.Serialize(manifest, OciJsonContext.Default.Manifest)), [name]);
    }

    private ImageRecord Register(string manifestDigest, List<ImageReference> names)
    {
        _given.UnionWith(names.Select(n => n.ToString()));
        return _images.Register(manifestDigest, names, _progress);
    }

    private string Adopt(string file)
    {
        string digest = _images.Blobs.Adopt(file, out bool added);
        return added ? Track(digest) : digest;
    }

    private string PutBytes(byte[] bytes)
    {
        string digest = Digest.Of(bytes);
        return _images.Blobs.Has(digest) ? digest : Track(_images.Blobs.Put(new MemoryStream(bytes), digest, bytes.Length));
    }

    private string Track(string digest)
    {
        _added.Add(digest);
        return digest;
    }

    private static byte[] ReadSmall(string file, string archive)
    {
        if (!File.Exists(file))
            throw new EngineException("ArchiveEntryMissing", ErrorKind.InvalidData, archive, $"{archive} has no {Path.GetFileName(file)}.");
        if (new FileInfo(file).Length > OciJson.MaxDocumentSize)
            throw new EngineException("DocumentTooLarge", ErrorKind.LimitsExceeded, archive, $"{Path.GetFileName(file)} in {archive} is larger than {OciJson.MaxDocumentSize} bytes.");
        return File.ReadAllBytes(file);
    }
}
