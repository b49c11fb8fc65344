using ContainerTools.Core.Networking;

namespace ContainerTools.Completers;

/// <summary>Tab completion of network names (the default network included).</summary>
public sealed class NetworkNameCompleter() : StoreNameCompleter(store => new NetworkStore(store).List().Select(n => n.Name));
