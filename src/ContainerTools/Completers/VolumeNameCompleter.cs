using ContainerTools.Core.Volumes;

namespace ContainerTools.Completers;

/// <summary>Tab completion of volume names.</summary>
public sealed class VolumeNameCompleter() : StoreNameCompleter(store => new VolumeStore(store).List().Select(v => v.Name));
