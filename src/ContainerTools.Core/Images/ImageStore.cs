using System.Text.RegularExpressions;
using ContainerTools.Core.Images.Oci;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Images;

/// <summary>
/// The images of a store: an OCI image layout under images/ (blobs and index.json) and the layers unpacked
/// once by chain ID under layers/. Names change only under the store-wide "images" lock; blobs and layers
/// appear only when complete, so readers never lock and a kill -9 leaves temps that the next writer tidies.
/// </summary>
public sealed partial class ImageStore
{
    private const string LockName = "images";
    private const string IngestLockName = "images-ingest";

    private readonly StoreLocation _store;
    private readonly ImageIndex _index;

    public ImageStore(StoreLocation store)
    {
        _store = store;
        Blobs = new BlobStore(store.ImagesDirectory);
        Layers = new LayerStore(store.LayersDirectory);
        _index = new ImageIndex(store.ImagesDirectory);
    }

    public BlobStore Blobs { get; }
    public LayerStore Layers { get; }

    /// <summary>The unpacked directory of a layer (layers/&lt;chainid&gt;/diff), for overlay lowerdir.</summary>
    public string LayerDirectory(string chainId) => Layers.DiffDirectory(chainId);

    public IReadOnlyList<ImageRecord> List()
    {
        var index = _index.Read();
        return index.Manifests.GroupBy(d => d.Digest, StringComparer.Ordinal)
            .Select(group => Load(group.Key, group.Select(ImageIndex.NameOf).OfType<string>().ToList()))
            .OrderByDescending(r => r.Created ?? DateTimeOffset.MinValue)
            .ToList();
    }

    /// <summary>
    /// Finds an image by name (busybox, busybox:1.36, docker.io/library/busybox:latest), name@digest, full id or
    /// manifest digest, or a unique prefix of the id's hex (as `docker images` shows it).
    /// </summary>
    public ImageRecord Resolve(string nameOrId) => TryResolve(nameOrId)
        ?? throw new EngineException("ImageNotFound", ErrorKind.NotFound, nameOrId, $"No image '{nameOrId}' in the store.");

    public ImageRecord? TryResolve(string nameOrId)
    {
        var images = List();
        if (Digest.IsValid(nameOrId))
            return images.FirstOrDefault(i => i.Id == nameOrId || i.ManifestDigest == nameOrId);
        if (ImageReference.TryParse(nameOrId, out var reference))
        {
            var byName = reference.Digest is { } digest
                ? images.FirstOrDefault(i => i.ManifestDigest == digest || i.Id == digest)
                : images.FirstOrDefault(i => i.Names.Contains(reference.ToString()));
            if (byName is not null)
                return byName;
        }
        if (!IdPrefix().IsMatch(nameOrId))
        {
            ImageReference.Parse(nameOrId); // neither a name nor an id: say why the name is invalid
            return null;
        }
        var matches = images.Where(i => Digest.Hex(i.Id).StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
        if (matches.Count > 1)
            throw new EngineException("AmbiguousImageId", ErrorKind.InvalidArgument, nameOrId,
                $"'{nameOrId}' is the start of {matches.Count} image ids; give more digits.");
        return matches.SingleOrDefault();
    }

    /// <summary>
    /// Stores a layer blob and unpacks it from the same bytes as they stream in (a pull does not read them twice).
    /// The blob is committed only when its digest verifies; the staged layer stays a temp until
    /// <see cref="Register"/> publishes it. When the unpacker refuses the bytes, the rest is read first, so a blob
    /// that is not what its digest says is reported as that rather than as a corrupt layer.
    /// </summary>
    public StagedLayer PutAndStageLayer(Stream content, Descriptor layer)
    {
        using var incoming = Blobs.BeginPut(layer.Digest, layer.Size);
        using var tee = new TeeStream(content, incoming);
        StagedLayer staged;
        try
        {
            staged = Layers.Stage(tee, layer.Digest);
        }
        catch (EngineException e) when (e.Kind == ErrorKind.InvalidData)
        {
            tee.CopyTo(Stream.Null);
            incoming.Verify();
            throw;
        }
        try
        {
            incoming.Commit();
            return staged;
        }
        catch
        {
            Layers.Discard(staged);
            throw;
        }
    }

    /// <summary>
    /// Makes the image whose manifest, config and layer blobs are already in <see cref="Blobs"/> known under
    /// <paramref name="names"/>: validates the manifest and config, unpacks layers the store lacks (all of them
    /// first, into temps; nothing is visible if one fails), then records the names atomically. Layers in
    /// <paramref name="unpacked"/> (by blob digest, from <see cref="PutAndStageLayer"/>) are used instead of
    /// unpacking their blobs again; Register owns them and discards what it does not publish.
    /// </summary>
    public ImageRecord Register(string manifestDigest, IEnumerable<ImageReference> names, IProgress<ImageProgress>? progress = null,
        IReadOnlyDictionary<string, StagedLayer>? unpacked = null)
    {
        var ready = new Dictionary<string, StagedLayer>(unpacked ?? new Dictionary<string, StagedLayer>(), StringComparer.Ordinal);
        try
        {
            return RegisterStaged(manifestDigest, names, progress, ready);
        }
        finally
        {
            foreach (var layer in ready.Values)
                Layers.Discard(layer);
        }
    }

    private ImageRecord RegisterStaged(string manifestDigest, IEnumerable<ImageReference> names, IProgress<ImageProgress>? progress,
        Dictionary<string, StagedLayer> ready)
    {
        var nameList = names.Select(n => n.ToString()).Distinct().ToList();
        RemoveStaleTemps();
        var (manifest, config) = ReadDocuments(manifestDigest);
        var layers = DescribeLayers(manifestDigest, manifest, config);
        var staged = new List<(StagedLayer Layer, string ChainId)>();
        try
        {
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                progress?.Report(new ImageProgress("Unpacking layers", layer.Digest, i, layers.Count));
                if (Layers.Has(layer.ChainId) || staged.Any(s => s.ChainId == layer.ChainId))
                    continue;
                if (!ready.Remove(layer.Digest, out var stagedLayer))
                {
                    using var blob = Blobs.OpenRead(layer.Digest);
                    stagedLayer = Layers.Stage(blob, layer.Digest);
                }
                staged.Add((stagedLayer, layer.ChainId));
                if (stagedLayer.DiffId != layer.DiffId)
                    throw new EngineException("LayerDiffIdMismatch", ErrorKind.InvalidData, layer.Digest,
                        $"Layer {layer.Digest} unpacks to content {stagedLayer.DiffId}, but the image config says {layer.DiffId}.");
            }
            progress?.Report(new ImageProgress("Unpacking layers", "done", layers.Count, layers.Count));
            using (FileLock.Acquire(_store, LockName))
            {
                foreach (var (layer, chainId) in staged)
                    Layers.Commit(layer, chainId);
                staged.Clear();
                var descriptor = new Descriptor
                {
                    MediaType = manifest.MediaType ?? MediaTypes.OciManifest,
                    Digest = manifestDigest,
                    Size = Blobs.Size(manifestDigest),
                };
                _index.Write(ImageIndex.WithNames(_index.Read(), descriptor, nameList));
            }
        }
        finally
        {
            foreach (var (layer, _) in staged)
                Layers.Discard(layer);
        }
        return Resolve(manifestDigest);
    }

    /// <summary>
    /// Stores a new image from layer blobs already in <see cref="Blobs"/> (a parent's, plus ones made with
    /// <see cref="LayerWriter"/>) and a config whose rootfs.diff_ids match them: writes the config and an OCI
    /// manifest, then registers it (Build-ContainerImage, ConvertTo-ContainerImage).
    /// </summary>
    public ImageRecord Create(ConfigFile config, IReadOnlyList<Descriptor> layers, IEnumerable<ImageReference> names, IProgress<ImageProgress>? progress = null)
    {
        byte[] configBytes = OciJson.Serialize(config, OciJsonContext.Default.ConfigFile);
        string configDigest = Blobs.Put(new MemoryStream(configBytes), Digest.Of(configBytes), configBytes.Length);
        var manifest = new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = configBytes.Length },
            Layers = layers.ToList(),
        };
        byte[] manifestBytes = OciJson.Serialize(manifest, OciJsonContext.Default.Manifest);
        string manifestDigest = Blobs.Put(new MemoryStream(manifestBytes), Digest.Of(manifestBytes), manifestBytes.Length);
        return Register(manifestDigest, names, progress);
    }

    /// <summary>Adds a name to an image (Add-ContainerImageTag); the name leaves any image it named before.</summary>
    public ImageRecord Tag(string nameOrId, ImageReference name)
    {
        if (name.Digest is not null || name.Tag is null)
            throw new EngineException("InvalidImageTag", ErrorKind.InvalidArgument, name.ToString(), $"'{name}' is not a name:tag to give an image.");
        using (FileLock.Acquire(_store, LockName))
        {
            var image = Resolve(nameOrId);
            var descriptor = new Descriptor { MediaType = ReadManifestMediaType(image.ManifestDigest), Digest = image.ManifestDigest, Size = Blobs.Size(image.ManifestDigest) };
            _index.Write(ImageIndex.WithNames(_index.Read(), descriptor, [name.ToString()]));
        }
        return Resolve(name.ToString());
    }

    /// <summary>
    /// Removes a name (if <paramref name="nameOrId"/> is one and the image has others), else the image: its names,
    /// then every blob and unpacked layer no other image references. Refuses while containers use the image,
    /// unless <paramref name="force"/>, which then only untags it (the containers keep their layers). Then tidies,
    /// so what a killed import or removal left unreferenced goes now, not only at the next import.
    /// </summary>
    public ImageRemoval Remove(string nameOrId, bool force, IImageUsers? users = null)
    {
        ImageRemoval removal;
        using (FileLock.Acquire(_store, LockName))
            removal = RemoveLocked(nameOrId, force, users);
        Tidy();
        return removal;
    }

    private ImageRemoval RemoveLocked(string nameOrId, bool force, IImageUsers? users)
    {
        var image = Resolve(nameOrId);
        bool byName = ImageReference.TryParse(nameOrId, out var reference) && reference.Digest is null && image.Names.Contains(reference.ToString());
        var index = _index.Read();
        if (byName && image.Names.Count > 1)
        {
            _index.Write(ImageIndex.WithoutName(index, reference.ToString()));
            return new ImageRemoval([reference.ToString()], null);
        }
        if (!byName && image.Names.Count > 1 && !force)
            throw new EngineException("ImageHasSeveralNames", ErrorKind.InvalidOperation, nameOrId,
                $"Image {image.ShortId} is named {string.Join(", ", image.Names)}; remove the names one by one or use -Force.");
        var containers = users?.ContainersUsing(image.Id) ?? [];
        if (containers.Count > 0)
        {
            if (!force)
                throw new EngineException("ImageInUse", ErrorKind.ResourceBusy, nameOrId,
                    $"Image {image.ShortId} is used by container(s) {string.Join(", ", containers)}; remove them first or use -Force to untag it.");
            foreach (string name in image.Names)
                index = ImageIndex.WithoutName(index, name);
            _index.Write(index);
            return new ImageRemoval(image.Names, null);
        }
        _index.Write(ImageIndex.WithoutImage(index, image.ManifestDigest));
        // Only this image's blobs and layers: unreferenced blobs of imports and pulls running now are not ours to take.
        var (blobs, chains) = ReferencedBlobs();
        foreach (string digest in new[] { image.ManifestDigest, image.Id }.Concat(image.Layers.Select(l => l.Digest)).Where(d => !blobs.Contains(d)))
            Blobs.Delete(digest);
        foreach (string chain in image.Layers.Select(l => l.ChainId).Where(c => !chains.Contains(c)))
            Layers.Delete(chain);
        return new ImageRemoval(image.Names, image.Id);
    }

    /// <summary>Deletes blobs an aborted import added that no image references (so bad input leaves the store as it was).</summary>
    public void DiscardUnreferenced(IEnumerable<string> blobDigests)
    {
        using var _ = FileLock.Acquire(_store, LockName);
        var referenced = ReferencedBlobs().Blobs;
        foreach (string digest in blobDigests.Where(d => !referenced.Contains(d)))
            Blobs.Delete(digest);
    }

    /// <summary>
    /// Brackets work that puts blobs before registering them (an import): tidies leftovers of killed processes
    /// first, then holds a shared lock that keeps <see cref="Tidy"/> in other processes from taking the blobs it
    /// puts before they are referenced. Dispose when the image is registered (or the work failed).
    /// </summary>
    public IDisposable BeginIngest()
    {
        Tidy();
        return HoldIngest();
    }

    /// <summary>
    /// The shared lock of <see cref="BeginIngest"/> without tidying first: a build holds it from its first layer to
    /// its registration, and keeps the unreferenced layers of earlier builds, which are its cache; a pull keeps the
    /// blobs an interrupted pull verified.
    /// </summary>
    public IDisposable HoldIngest() => FileLock.Acquire(_store, IngestLockName, shared: true);

    /// <summary>
    /// Deletes what killed processes left: temps always (their owner's pid is gone), and blobs and layers no image
    /// references when no import or pull is running (none holds the ingest lock), as a kill -9 between storing a
    /// blob and registering its image leaves them.
    /// </summary>
    public void Tidy()
    {
        RemoveStaleTemps();
        using var idle = FileLock.TryAcquire(_store, IngestLockName);
        if (idle is null)
            return;
        using var _ = FileLock.Acquire(_store, LockName);
        CollectGarbage();
    }

    /// <summary>Deletes leftovers of killed processes (temp blobs, half-unpacked layers).</summary>
    public void RemoveStaleTemps()
    {
        Blobs.RemoveStaleTemps();
        Layers.RemoveStaleTemps();
        StaleTemps.Remove(_store.TempDirectory);
    }

    /// <summary>The validated manifest and config of a stored image (export and history read them too).</summary>
    public (Manifest Manifest, ConfigFile Config) ReadDocuments(string manifestDigest)
    {
        var manifest = OciJson.Parse(Blobs.ReadAllBytes(manifestDigest, OciJson.MaxDocumentSize), OciJsonContext.Default.Manifest, "manifest", manifestDigest);
        if (MediaTypes.IsIndex(manifest.MediaType))
            throw new EngineException("ManifestIsIndex", ErrorKind.InvalidData, manifestDigest,
                $"{manifestDigest} is an image index, not an image manifest; choose one platform's manifest.");
        if (manifest.MediaType is not null && !MediaTypes.IsManifest(manifest.MediaType))
            throw UnknownMediaType(manifest.MediaType, manifestDigest);
        if (manifest.SchemaVersion != 2 || manifest.Config is null || manifest.Layers is null)
            throw new EngineException("InvalidManifest", ErrorKind.InvalidData, manifestDigest,
                $"Manifest {manifestDigest} is not a schema 2 image manifest (config and layers are required).");
        if (!MediaTypes.IsConfig(manifest.Config.MediaType))
            throw UnknownMediaType(manifest.Config.MediaType, manifest.Config.Digest);
        Digest.Hex(manifest.Config.Digest);
        if (Blobs.Size(manifest.Config.Digest) != manifest.Config.Size)
            throw new EngineException("BlobSizeMismatch", ErrorKind.InvalidData, manifest.Config.Digest,
                $"Config {manifest.Config.Digest} has {Blobs.Size(manifest.Config.Digest)} bytes, the manifest says {manifest.Config.Size}.");
        var config = OciJson.Parse(Blobs.ReadAllBytes(manifest.Config.Digest, OciJson.MaxDocumentSize), OciJsonContext.Default.ConfigFile, "image config", manifest.Config.Digest);
        return (manifest, config);
    }

    private List<ImageLayer> DescribeLayers(string manifestDigest, Manifest manifest, ConfigFile config)
    {
        var descriptors = manifest.Layers!;
        var diffIds = config.RootFs.DiffIds;
        if (descriptors.Count != diffIds.Count)
            throw new EngineException("LayerCountMismatch", ErrorKind.InvalidData, manifestDigest,
                $"Manifest {manifestDigest} lists {descriptors.Count} layers but its config lists {diffIds.Count} diff IDs.");
        var layers = new List<ImageLayer>(descriptors.Count);
        string? chain = null;
        for (int i = 0; i < descriptors.Count; i++)
        {
            var d = descriptors[i];
            if (!MediaTypes.IsLayer(d.MediaType))
                throw UnknownMediaType(d.MediaType, d.Digest);
            Digest.Hex(d.Digest);
            Digest.Hex(diffIds[i]);
            long size = Blobs.Size(d.Digest);
            if (size != d.Size)
                throw new EngineException("BlobSizeMismatch", ErrorKind.InvalidData, d.Digest,
                    $"Layer {d.Digest} has {size} bytes, the manifest says {d.Size}.");
            chain = Digest.Chain(chain, diffIds[i]);
            layers.Add(new ImageLayer(d.Digest, diffIds[i], chain, d.Size, d.MediaType));
        }
        return layers;
    }

    private ImageRecord Load(string manifestDigest, IReadOnlyList<string> names)
    {
        var (manifest, config) = ReadDocuments(manifestDigest);
        var layers = DescribeLayers(manifestDigest, manifest, config);
        long size = layers.Sum(l => Layers.ContentSize(l.ChainId));
        return new ImageRecord(manifest.Config!.Digest, manifestDigest, names.Order(StringComparer.Ordinal).ToList(),
            ImageConfig.From(config.Config), layers, config.Created, size, config.Os, config.Architecture, History(config, layers));
    }

    private IReadOnlyList<ImageHistoryItem> History(ConfigFile config, List<ImageLayer> layers)
    {
        var history = config.History ?? [];
        var items = new List<ImageHistoryItem>();
        int layer = 0;
        foreach (var entry in history)
        {
            var owned = !entry.EmptyLayer && layer < layers.Count ? layers[layer++] : null;
            items.Add(new ImageHistoryItem(entry.Created, entry.CreatedBy ?? "", entry.Comment, entry.EmptyLayer,
                owned?.Digest, owned is null ? 0 : Layers.ContentSize(owned.ChainId)));
        }
        // Layers the history does not describe (images made without history) still show.
        for (; layer < layers.Count; layer++)
            items.Add(new ImageHistoryItem(null, "", null, false, layers[layer].Digest, Layers.ContentSize(layers[layer].ChainId)));
        return items;
    }

    private string ReadManifestMediaType(string manifestDigest) =>
        ReadDocuments(manifestDigest).Manifest.MediaType ?? MediaTypes.OciManifest;

    /// <summary>Under the lock, with no ingest running: deletes blobs and layers no image in the index references.</summary>
    private void CollectGarbage()
    {
        var (blobs, chains) = ReferencedBlobs();
        foreach (string digest in Blobs.All().Where(d => !blobs.Contains(d)).ToList())
            Blobs.Delete(digest);
        foreach (string chain in Layers.All().Where(c => !chains.Contains(c)).ToList())
            Layers.Delete(chain);
    }

    private (HashSet<string> Blobs, HashSet<string> Chains) ReferencedBlobs()
    {
        var blobs = new HashSet<string>(StringComparer.Ordinal);
        var chains = new HashSet<string>(StringComparer.Ordinal);
        foreach (string manifestDigest in _index.Read().Manifests.Select(d => d.Digest).Distinct())
        {
            blobs.Add(manifestDigest);
            var (manifest, config) = ReadDocuments(manifestDigest);
            blobs.Add(manifest.Config!.Digest);
            foreach (var layer in DescribeLayers(manifestDigest, manifest, config))
            {
                blobs.Add(layer.Digest);
                chains.Add(layer.ChainId);
            }
        }
        return (blobs, chains);
    }

    private static EngineException UnknownMediaType(string? mediaType, string target) =>
        new("UnknownMediaType", ErrorKind.InvalidData, target, $"'{mediaType}' is not a media type this store can use for {target}.");

    [GeneratedRegex("^[a-f0-9]{3,64}$")]
    private static partial Regex IdPrefix();
}
