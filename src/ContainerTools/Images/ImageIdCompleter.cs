using ContainerTools.Completers;
using ContainerTools.Core.Images;

namespace ContainerTools.Images;

/// <summary>Tab completion of image ids for -Id, as hex digits without "sha256:" (the table's Id is their start).</summary>
public sealed class ImageIdCompleter() : StoreNameCompleter(store => new ImageStore(store).List().Select(i => Digest.Hex(i.Id)));
