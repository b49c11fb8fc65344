using System.Collections.Concurrent;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;

namespace ContainerTools.Core.Registry;

/// <summary>What a pull did: the image as stored, the manifest digest, and how many blobs came over the wire.</summary>
public sealed record PullResult(ImageRecord Image, string Reference, string ManifestDigest, int Downloaded, int Present, long BytesDownloaded);

/// <summary>
/// Pulls an image into the store: the manifest (an index is resolved to one platform), the config, then the
/// layers the store lacks, several at once, each verified while it streams into the blob store and unpacked from
/// the same bytes as they arrive; then the image store publishes the layers and names the image. Bad content leaves the store as it was; blobs verified before an
/// interruption (a lost connection, a cancel, a kill) stay, so a re-run fetches only what is missing.
/// </summary>
public sealed class ImagePuller
{
    /// <summary>Indexes inside indexes followed before the pull gives up (a registry could nest them without end).</summary>
    public const int MaxIndexDepth = 4;

    private readonly ImageStore _store;
    private readonly RegistryOptions _options;

    public ImagePuller(ImageStore store, RegistryOptions options)
    {
        _store = store;
        _options = options;
    }

    public async Task<PullResult> PullAsync(ImageReference reference, PlatformSelector platform, IProgress<TransferProgress>? progress = null,
        IProgress<ImageProgress>? unpackProgress = null, CancellationToken cancel = default)
    {
        var result = await PullHoldingIngestAsync(reference, platform, progress, unpackProgress, cancel);
        // Once its image is registered, what killed imports, pulls and removals left unreferenced goes (unless
        // another ingest runs: a build pulling its base holds one, and keeps its cache).
        _store.Tidy();
        return result;
    }

    private async Task<PullResult> PullHoldingIngestAsync(ImageReference reference, PlatformSelector platform, IProgress<TransferProgress>? progress,
        IProgress<ImageProgress>? unpackProgress, CancellationToken cancel)
    {
        using var client = new RegistryClient(reference.Registry, _options, reference.Repository);
        var (manifest, document) = await ResolveAsync(client, reference, platform, cancel);
        // Its blobs are unreferenced until it registers the image: an import's tidy in another session must leave them.
        // No tidy before: the verified blobs of an interrupted pull are what a re-run need not fetch again.
        using var ingest = _store.HoldIngest();
        var blobs = document.Layers!.Append(document.Config!).ToList();
        var added = new ConcurrentBag<string>();
        var unpacked = new ConcurrentDictionary<string, StagedLayer>(StringComparer.Ordinal);
        try
        {
            // The config first: it tells which layers the store has unpacked already; the others unpack as they download.
            var transfer = new Transfer(client, reference, blobs, added, unpacked, progress);
            long bytes = await DownloadAsync(transfer, [blobs.Count - 1], [], cancel);
            bytes += await DownloadAsync(transfer, Enumerable.Range(0, blobs.Count - 1), LayersToUnpack(document), cancel);
            if (_store.Blobs.Put(new MemoryStream(manifest.Content), manifest.Digest, manifest.Content.Length) is var digest && !added.Contains(digest))
                added.Add(digest);
            var names = reference.Tag is null ? [] : new[] { reference with { Digest = null } };
            var image = _store.Register(manifest.Digest, names, unpackProgress, unpacked.ToDictionary(StringComparer.Ordinal));
            unpacked.Clear(); // Register owns them now
            int downloaded = blobs.Select(b => b.Digest).Distinct().Count(added.Contains);
            return new PullResult(image, reference.ToString(), manifest.Digest, downloaded, blobs.Count - downloaded, bytes);
        }
        catch (Exception e)
        {
            foreach (var layer in unpacked.Values)
                _store.Layers.Discard(layer);
            if (!IsInterruption(e))
                _store.DiscardUnreferenced(added);
            throw;
        }
    }

    /// <summary>
    /// The image a command needs, by <paramref name="policy"/>: the stored one when present (Missing), always
    /// refreshed from the registry (Always), or only the stored one (Never). What New-Container's -Pull calls.
    /// </summary>
    public async Task<ImageRecord> EnsureAsync(string name, PullPolicy policy, PlatformSelector platform,
        IProgress<TransferProgress>? progress = null, IProgress<ImageProgress>? unpackProgress = null, CancellationToken cancel = default)
    {
        if (policy != PullPolicy.Always && _store.TryResolve(name) is { } stored)
            return stored;
        if (policy == PullPolicy.Never)
            throw new EngineException("ImageNotFound", ErrorKind.NotFound, name, $"No image '{name}' in the store, and -Pull Never forbids pulling it.");
        return (await PullAsync(ImageReference.Parse(name), platform, progress, unpackProgress, cancel)).Image;
    }

    /// <summary>The manifest <paramref name="reference"/> names for <paramref name="platform"/>, checked, as the registry sent it.</summary>
    public static async Task<(RegistryManifest Raw, Manifest Document)> ResolveAsync(RegistryClient client, ImageReference reference, PlatformSelector platform, CancellationToken cancel)
    {
        string target = reference.ToString();
        var manifest = await client.GetManifestAsync(reference.Repository, reference.Digest ?? reference.Tag!, cancel);
        // An index may list indexes (the image spec allows it): each level is resolved by the platform.
        for (int depth = 0; MediaTypes.IsIndex(manifest.MediaType); depth++)
        {
            if (depth == MaxIndexDepth)
                throw new EngineException("IndexTooDeep", ErrorKind.LimitsExceeded, target, $"{target} nests image indexes more than {MaxIndexDepth} deep.");
            var index = OciJson.Parse(manifest.Content, OciJsonContext.Default.IndexDocument, "image index of " + target, target);
            var chosen = platform.Choose(index, target);
            Digest.Hex(chosen.Digest);
            manifest = await client.GetManifestAsync(reference.Repository, chosen.Digest, cancel);
        }
        if (!MediaTypes.IsManifest(manifest.MediaType))
            throw new EngineException("UnknownMediaType", ErrorKind.InvalidData, target, $"{target} is a '{ServerText.Printable(manifest.MediaType)}', not an image manifest or index.");
        var document = OciJson.Parse(manifest.Content, OciJsonContext.Default.Manifest, "manifest of " + target, target);
        if (document.SchemaVersion != 2 || document.Config is null || document.Layers is null)
            throw new EngineException("InvalidManifest", ErrorKind.InvalidData, target, $"The manifest of {target} is not a schema 2 image manifest (config and layers are required).");
        // Refused before a byte of them is fetched: an artifact (a Helm chart, a signature) or a foreign layer.
        if (!MediaTypes.IsConfig(document.Config.MediaType))
            throw new EngineException("UnknownMediaType", ErrorKind.InvalidData, target,
                $"{target} is not a container image: its config is a '{ServerText.Printable(document.Config.MediaType)}' (an artifact, such as a Helm chart or a signature).");
        if (document.Layers.FirstOrDefault(l => !MediaTypes.IsLayer(l.MediaType)) is { } foreign)
            throw new EngineException("UnknownMediaType", ErrorKind.InvalidData, target,
                $"{target} has a layer of media type '{ServerText.Printable(foreign.MediaType)}', which is not an image layer this store can unpack (foreign and non-distributable layers are not fetched).");
        foreach (var blob in document.Layers.Append(document.Config))
        {
            Digest.Hex(blob.Digest); // a digest becomes a file name: never use one unchecked
            if (blob.Size < 0)
                throw new EngineException("InvalidBlobSize", ErrorKind.InvalidData, blob.Digest, $"The manifest of {target} declares a negative size for {blob.Digest}.");
        }
        return (manifest, document);
    }

    /// <summary>What the downloads of one pull share: where to fetch, what was added, what was unpacked, whom to tell.</summary>
    private sealed record Transfer(RegistryClient Client, ImageReference Reference, List<Descriptor> Blobs, ConcurrentBag<string> Added,
        ConcurrentDictionary<string, StagedLayer> Unpacked, IProgress<TransferProgress>? Progress);

    /// <summary>Digests of the layers whose chain the store has not unpacked (by the config just downloaded).</summary>
    private HashSet<string> LayersToUnpack(Manifest document)
    {
        var config = OciJson.Parse(_store.Blobs.ReadAllBytes(document.Config!.Digest, OciJson.MaxDocumentSize),
            OciJsonContext.Default.ConfigFile, "image config", document.Config.Digest);
        var layers = document.Layers!;
        var diffIds = config.RootFs.DiffIds;
        if (diffIds.Count != layers.Count)
            return []; // Register refuses the image; nothing is worth unpacking
        var missing = new HashSet<string>(StringComparer.Ordinal);
        string? chain = null;
        for (int i = 0; i < layers.Count; i++)
        {
            chain = Digest.Chain(chain, diffIds[i]);
            if (!_store.Layers.Has(chain))
                missing.Add(layers[i].Digest);
        }
        return missing;
    }

    /// <summary>
    /// Downloads the blobs at <paramref name="slots"/> the store lacks, several at once, each verified as it streams;
    /// layers in <paramref name="unpack"/> are unpacked from the same bytes. Returns the bytes downloaded.
    /// </summary>
    private async Task<long> DownloadAsync(Transfer transfer, IEnumerable<int> slots, HashSet<string> unpack, CancellationToken cancel)
    {
        var (client, reference, blobs, added, unpacked, progress) = transfer;
        using var running = new SemaphoreSlim(Math.Max(1, _options.Parallelism));
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        long total = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var work = slots.Select(async slot =>
        {
            var blob = blobs[slot];
            if (!seen.Add(blob.Digest) || _store.Blobs.Has(blob.Digest))
            {
                progress?.Report(new TransferProgress(slot, blobs.Count, blob.Digest, blob.Size, blob.Size, TransferState.Exists));
                return;
            }
            progress?.Report(new TransferProgress(slot, blobs.Count, blob.Digest, 0, blob.Size, TransferState.Waiting));
            await running.WaitAsync(failed.Token);
            try
            {
                await using var body = await client.OpenBlobAsync(reference.Repository, blob.Digest, failed.Token);
                using var counted = new ProgressStream(new StallGuardStream(body, _options.StallTimeout), read =>
                    progress?.Report(new TransferProgress(slot, blobs.Count, blob.Digest, read, blob.Size, TransferState.Downloading)));
                try
                {
                    if (unpack.Contains(blob.Digest))
                        unpacked[blob.Digest] = await Task.Run(() => _store.PutAndStageLayer(counted, blob), failed.Token);
                    else
                        await Task.Run(() => _store.Blobs.Put(counted, blob.Digest, blob.Size), failed.Token);
                }
                catch (Exception e) when (e is HttpIOException or TimeoutException)
                {
                    throw new EngineException("DownloadInterrupted", ErrorKind.ConnectionError, blob.Digest,
                        $"The download of {blob.Digest} from {reference.Registry} broke off: {e.Message} Run the pull again to fetch what is missing.", e);
                }
                added.Add(blob.Digest);
                Interlocked.Add(ref total, blob.Size);
                progress?.Report(new TransferProgress(slot, blobs.Count, blob.Digest, blob.Size, blob.Size, TransferState.Done));
            }
            catch
            {
                failed.Cancel(); // one bad blob stops the others
                throw;
            }
            finally
            {
                running.Release();
            }
        }).ToList();
        try
        {
            await Task.WhenAll(work);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            // a sibling failed and cancelled this one: report the failure, not the cancel
            throw work.Select(t => t.Exception?.InnerException).First(e => e is not null and not OperationCanceledException)!;
        }
        return total;
    }

    /// <summary>A pull cut short (not refused): what was verified so far is kept for the next attempt.</summary>
    private static bool IsInterruption(Exception e) =>
        e is OperationCanceledException or EngineException { Kind: ErrorKind.ConnectionError };
}
