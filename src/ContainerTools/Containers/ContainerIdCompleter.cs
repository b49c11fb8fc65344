using ContainerTools.Completers;
using ContainerTools.Core.Containers;

namespace ContainerTools.Containers;

/// <summary>Tab completion of container ids for -Id: what was typed is the start of one (as the table shows it).</summary>
public sealed class ContainerIdCompleter() : StoreNameCompleter(store => new ContainerStore(store).List().Select(c => c.Id));
