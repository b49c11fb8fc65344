using ContainerTools.Completers;
using ContainerTools.Core.Images;

namespace ContainerTools.Images;

/// <summary>Tab completion of image names in their short form, as people type them (busybox:latest, not docker.io/library/...).</summary>
public sealed class ImageNameCompleter() : StoreNameCompleter(store =>
    new ImageStore(store).List().SelectMany(i => i.Names.Select(n => ImageReference.Parse(n).Familiar)));
