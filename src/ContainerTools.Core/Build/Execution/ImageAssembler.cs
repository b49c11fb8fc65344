using ContainerTools.Core.Build.Planning;
using ContainerTools.Core.Images;
using ContainerTools.Core.Images.Oci;

namespace ContainerTools.Core.Build.Execution;

/// <summary>
/// Writes the config and manifest of a built image and registers it under its names: the one moment an image
/// appears. The image is as old as its last history entry, so equal inputs (a rebuild from the cache) give
/// equal bytes, hence the same id.
/// </summary>
public static class ImageAssembler
{
    public static ImageRecord Register(ImageStore images, StageResult result, IEnumerable<ImageReference> names)
    {
        var config = new ConfigFile
        {
            Created = result.History.LastOrDefault()?.Created ?? DateTimeOffset.UtcNow,
            Author = result.Settings.Author,
            Architecture = HostPlatform.Architecture,
            Os = HostPlatform.Os,
            Config = ImageSettingsConversion.ToRunConfig(result.Settings),
            RootFs = new RootFs { DiffIds = result.Layers.Select(l => l.DiffId).ToList() },
            History = [.. result.History],
        };
        byte[] configBytes = OciJson.Serialize(config, OciJsonContext.Default.ConfigFile);
        // Checked before anything is written: a config the store would refuse to read back is no image, only a stray blob.
        if (configBytes.Length > OciJson.MaxDocumentSize)
            throw new EngineException("BuildImageConfigTooLarge", ErrorKind.LimitsExceeded, names.FirstOrDefault()?.ToString(),
                $"the image's config would be {configBytes.Length} bytes ({result.History.Count} history entries), more than the {OciJson.MaxDocumentSize} bytes an image may have");
        var manifest = new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Put(images, configBytes), Size = configBytes.Length },
            Layers = result.Layers.Select(l => new Descriptor { MediaType = l.MediaType, Digest = l.Digest, Size = l.Size }).ToList(),
        };
        return images.Register(Put(images, OciJson.Serialize(manifest, OciJsonContext.Default.Manifest)), names);
    }

    private static string Put(ImageStore images, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return images.Blobs.Put(stream);
    }
}
