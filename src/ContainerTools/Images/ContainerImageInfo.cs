using ContainerTools.Core.Images;

namespace ContainerTools.Images;

/// <summary>
/// One row of Get-ContainerImage: an image under one of its names (Name is null for an image without any, shown
/// as &lt;none&gt;), like `docker images`. Id is the config digest; everything else about the image rides along.
/// </summary>
public sealed class ContainerImageInfo
{
    internal ContainerImageInfo(ImageRecord image, string? name)
    {
        var reference = name is null ? null : ImageReference.Parse(name);
        Name = reference?.Familiar;
        FullName = reference?.ToString();
        Repository = reference?.FamiliarName ?? "<none>";
        Tag = reference?.Tag ?? "<none>";
        Id = image.Id;
        ShortId = image.ShortId;
        ManifestDigest = image.ManifestDigest;
        Names = image.Names;
        Created = image.Created;
        Size = image.Size;
        Os = image.Os;
        Architecture = image.Architecture;
        Layers = image.Layers;
        Config = image.Config;
    }

    /// <summary>The name this row stands for, short form (busybox:latest); null for a nameless image.</summary>
    public string? Name { get; }
    public string? FullName { get; }
    public string Repository { get; }
    public string Tag { get; }
    public string Id { get; }
    public string ShortId { get; }
    public string ManifestDigest { get; }
    public IReadOnlyList<string> Names { get; }
    public DateTimeOffset? Created { get; }
    public long Size { get; }
    public string Os { get; }
    public string Architecture { get; }
    public IReadOnlyList<ImageLayer> Layers { get; }
    public ImageConfig Config { get; }

    /// <summary>One row per name, or one nameless row.</summary>
    internal static IEnumerable<ContainerImageInfo> Rows(ImageRecord image) =>
        image.Names.Count == 0 ? [new ContainerImageInfo(image, null)] : image.Names.Select(n => new ContainerImageInfo(image, n));

    public override string ToString() => Name ?? Id;
}

/// <summary>One step of an image's history (Get-ContainerImageHistory), newest first as `docker history` shows it.</summary>
public sealed class ContainerImageHistoryInfo
{
    internal ContainerImageHistoryInfo(ImageRecord image, ImageHistoryItem item)
    {
        ImageId = image.Id;
        LayerDigest = item.LayerDigest;
        Created = item.Created;
        CreatedBy = item.CreatedBy;
        Comment = item.Comment;
        EmptyLayer = item.EmptyLayer;
        Size = item.Size;
    }

    public string ImageId { get; }
    public string? LayerDigest { get; }
    public DateTimeOffset? Created { get; }
    public string CreatedBy { get; }
    public string? Comment { get; }
    public bool EmptyLayer { get; }
    public long Size { get; }
}
