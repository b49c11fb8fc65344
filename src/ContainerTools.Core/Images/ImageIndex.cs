using ContainerTools.Core.Images.Oci;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Images;

/// <summary>
/// images/index.json and images/oci-layout: the store's list of images as an OCI image layout. One descriptor
/// per name (annotation org.opencontainers.image.ref.name holds the full reference) plus one without a name
/// for an image that has none (dangling). Changed only under the store's "images" lock, written atomically.
/// </summary>
public sealed class ImageIndex
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    private readonly string _directory;

    public ImageIndex(string imagesDirectory) => _directory = imagesDirectory;

    private string IndexPath => Path.Combine(_directory, "index.json");

    public IndexDocument Read()
    {
        if (!File.Exists(IndexPath))
            return new IndexDocument();
        return OciJson.Parse(File.ReadAllBytes(IndexPath), OciJsonContext.Default.IndexDocument, "store's index.json", IndexPath);
    }

    public void Write(IndexDocument index)
    {
        // A temp of index.json or oci-layout a killed writer left: the next change of names (a tag, a removal)
        // tidies it, not only the next import.
        StaleTemps.Remove(_directory);
        string layout = Path.Combine(_directory, "oci-layout");
        if (!File.Exists(layout))
            AtomicFile.WriteAllBytes(layout, OciJson.Serialize(new LayoutMarker(), OciJsonContext.Default.LayoutMarker));
        AtomicFile.WriteAllBytes(IndexPath, OciJson.Serialize(index, OciJsonContext.Default.IndexDocument));
    }

    public static string? NameOf(Descriptor descriptor) =>
        descriptor.Annotations?.GetValueOrDefault(RefNameAnnotation);

    /// <summary>
    /// The index with <paramref name="names"/> pointing at <paramref name="manifest"/>: each name leaves the image
    /// it named before (which keeps a nameless entry if that was its last name).
    /// </summary>
    public static IndexDocument WithNames(IndexDocument index, Descriptor manifest, IEnumerable<string> names)
    {
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        var kept = index.Manifests.Where(d => NameOf(d) is not { } name || !wanted.Contains(name)).ToList();
        foreach (var orphan in index.Manifests.Select(d => d.Digest).Distinct().Where(digest => kept.All(d => d.Digest != digest)))
            kept.Add(Bare(index.Manifests.First(d => d.Digest == orphan)));
        foreach (string name in wanted.Order(StringComparer.Ordinal))
            kept.Add(Bare(manifest) with { Annotations = new Dictionary<string, string> { [RefNameAnnotation] = name } });
        if (!kept.Any(d => d.Digest == manifest.Digest))
            kept.Add(Bare(manifest));
        return Normalised(index with { Manifests = kept });
    }

    /// <summary>The index without <paramref name="name"/>; the image keeps a nameless entry if it was its last.</summary>
    public static IndexDocument WithoutName(IndexDocument index, string name)
    {
        var kept = index.Manifests.Where(d => NameOf(d) != name).ToList();
        foreach (var removed in index.Manifests.Where(d => NameOf(d) == name))
        {
            if (kept.All(d => d.Digest != removed.Digest))
                kept.Add(Bare(removed));
        }
        return Normalised(index with { Manifests = kept });
    }

    public static IndexDocument WithoutImage(IndexDocument index, string manifestDigest) =>
        index with { Manifests = index.Manifests.Where(d => d.Digest != manifestDigest).ToList() };

    /// <summary>A nameless entry only where the image has no named one; stable order (by digest, then name).</summary>
    private static IndexDocument Normalised(IndexDocument index)
    {
        var named = index.Manifests.Where(d => NameOf(d) is not null).Select(d => d.Digest).ToHashSet(StringComparer.Ordinal);
        var manifests = index.Manifests
            .Where(d => NameOf(d) is not null || !named.Contains(d.Digest))
            .DistinctBy(d => (d.Digest, NameOf(d)))
            .OrderBy(d => d.Digest, StringComparer.Ordinal).ThenBy(d => NameOf(d) ?? "", StringComparer.Ordinal)
            .ToList();
        return index with { Manifests = manifests };
    }

    private static Descriptor Bare(Descriptor d) => new() { MediaType = d.MediaType, Digest = d.Digest, Size = d.Size };
}
