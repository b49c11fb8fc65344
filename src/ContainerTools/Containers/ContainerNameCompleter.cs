using ContainerTools.Completers;
using ContainerTools.Core.Containers;

namespace ContainerTools.Containers;

/// <summary>Tab completion of container names.</summary>
public sealed class ContainerNameCompleter() : StoreNameCompleter(store => new ContainerStore(store).List().Select(c => c.Name));
