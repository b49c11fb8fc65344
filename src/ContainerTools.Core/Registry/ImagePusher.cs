using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;

namespace ContainerTools.Core.Registry;

/// <summary>What a push did: where the image went, its manifest digest, and how each blob got there.</summary>
public sealed record PushResult(string Reference, string Digest, int Uploaded, int Mounted, int Existing, long BytesUploaded);

/// <summary>
/// Pushes a stored image: each blob the repository lacks (HEAD) is mounted from another repository of the same
/// registry that the image is also named in, else uploaded; then the manifest, byte for byte as stored (so the
/// digest is the same on both sides), under the tag.
/// </summary>
public sealed class ImagePusher
{
    private readonly ImageStore _store;
    private readonly RegistryOptions _options;

    public ImagePusher(ImageStore store, RegistryOptions options)
    {
        _store = store;
        _options = options;
    }

    /// <summary>Pushes the image <paramref name="source"/> names (or has as id) to <paramref name="destination"/> (default: the name itself).</summary>
    public async Task<PushResult> PushAsync(string source, ImageReference? destination, IProgress<TransferProgress>? progress = null, CancellationToken cancel = default)
    {
        var image = _store.Resolve(source);
        destination ??= ImageReference.TryParse(source, out var named) && image.Names.Contains(named.ToString()) ? named
            : throw new EngineException("DestinationRequired", ErrorKind.InvalidArgument, source, $"'{source}' is not a name of the image; give a -Destination registry/repository:tag.");
        if (destination.Digest is not null && destination.Digest != image.ManifestDigest)
            throw new EngineException("DigestMismatch", ErrorKind.InvalidArgument, destination.ToString(),
                $"{destination} names digest {destination.Digest}, but the image's manifest is {image.ManifestDigest}.");
        var (document, _) = _store.ReadDocuments(image.ManifestDigest);
        var manifest = new RegistryManifest(_store.Blobs.ReadAllBytes(image.ManifestDigest, RegistryClient.MaxManifestSize),
            document.MediaType ?? MediaTypes.OciManifest, image.ManifestDigest);
        var mountSources = image.Names.Select(ImageReference.Parse)
            .Where(n => n.Registry == destination.Registry && n.Repository != destination.Repository)
            .Select(n => n.Repository).Distinct().ToList();

        using var client = new RegistryClient(destination.Registry, _options, destination.Repository);
        var blobs = document.Layers!.Append(document.Config!).DistinctBy(b => b.Digest).ToList();
        var states = new TransferState[blobs.Count];
        long uploaded = 0;
        using var slots = new SemaphoreSlim(Math.Max(1, _options.Parallelism));
        await Task.WhenAll(blobs.Select(async (blob, slot) =>
        {
            await slots.WaitAsync(cancel);
            try
            {
                states[slot] = await SendBlobAsync(client, destination.Repository, blob, mountSources, read =>
                    progress?.Report(new TransferProgress(slot, blobs.Count, blob.Digest, read, blob.Size, TransferState.Uploading)), cancel);
                if (states[slot] == TransferState.Done)
                    Interlocked.Add(ref uploaded, blob.Size);
                progress?.Report(new TransferProgress(slot, blobs.Count, blob.Digest, blob.Size, blob.Size, states[slot]));
            }
            finally
            {
                slots.Release();
            }
        }));
        string digest = await client.PutManifestAsync(destination.Repository, destination.Tag ?? image.ManifestDigest, manifest, cancel);
        return new PushResult((destination with { Digest = null }).ToString(), digest,
            states.Count(s => s == TransferState.Done), states.Count(s => s == TransferState.Mounted), states.Count(s => s == TransferState.Exists), uploaded);
    }

    private async Task<TransferState> SendBlobAsync(RegistryClient client, string repository, Descriptor blob, List<string> mountSources,
        Action<long> report, CancellationToken cancel)
    {
        if (await client.HasBlobAsync(repository, blob.Digest, cancel))
            return TransferState.Exists;
        foreach (string from in mountSources)
        {
            if (await client.TryMountBlobAsync(repository, blob.Digest, from, cancel))
                return TransferState.Mounted;
        }
        await client.UploadBlobAsync(repository, blob.Digest, blob.Size, () => new ProgressStream(_store.Blobs.OpenRead(blob.Digest), report), cancel);
        return TransferState.Done;
    }
}
