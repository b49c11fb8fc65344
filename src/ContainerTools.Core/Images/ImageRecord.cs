namespace ContainerTools.Core.Images;

/// <summary>
/// An image in the store. Id is the config digest (as Docker and Podman use it); Names are fully normalised
/// references (docker.io/library/busybox:latest); Layers are bottom first; Size is the unpacked size estimate
/// (the sum of the layer blobs).
/// </summary>
public sealed record ImageRecord(
    string Id,
    string ManifestDigest,
    IReadOnlyList<string> Names,
    ImageConfig Config,
    IReadOnlyList<ImageLayer> Layers,
    DateTimeOffset? Created,
    long Size,
    string Os,
    string Architecture,
    IReadOnlyList<ImageHistoryItem> History)
{
    public string ShortId => Digest.Short(Id);

    /// <summary>The chain ID of the top layer: everything a container's lower directories need (null for an image without layers).</summary>
    public string? TopChainId => Layers.Count == 0 ? null : Layers[^1].ChainId;
}
