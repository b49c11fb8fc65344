using ContainerTools.Core.Build.Cache;
using ContainerTools.Core.Build.Planning;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;

namespace ContainerTools.Core.Build.Execution;

/// <summary>An image as a build holds it while adding to it: layers (bottom first), config, cache key, history.</summary>
public sealed record StageResult(IReadOnlyList<BuiltLayer> Layers, ImageSettings Settings, CacheKey Key, IReadOnlyList<HistoryEntry> History)
{
    public static StageResult Scratch { get; } = new([], ImageSettings.Empty, CacheKey.Scratch, []);

    public string? TopChainId => Layers.Count == 0 ? null : Layers[^1].ChainId;

    /// <summary>A stored image as the start of a stage (or of a commit).</summary>
    public static StageResult FromImage(ImageStore images, ImageRecord image)
    {
        var (_, config) = images.ReadDocuments(image.ManifestDigest);
        return new StageResult(
            image.Layers.Select(l => new BuiltLayer(l.Digest, l.DiffId, l.ChainId, l.Size, l.MediaType)).ToList(),
            ImageSettingsConversion.FromImage(image.Config, config.Author),
            CacheKey.ForImage(image.Id),
            config.History ?? []);
    }

    /// <summary>The directories of the layers, bottom first, for an overlay.</summary>
    public IReadOnlyList<string> Directories(ImageStore images) => Layers.Select(l => images.LayerDirectory(l.ChainId)).ToList();
}
