using ContainerTools.Core.Containers;
using ContainerTools.Core.Networking;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Remove-ContainerNetwork. With force, as podman's network rm -f: the containers that join the network, running or
/// not, are removed first (running ones killed, as Remove-Container -Force), each whole (its attachment, its files),
/// then the network. Without force a network a container joins is refused (NetworkStore.Remove).
/// </summary>
public sealed class NetworkRemoval(ContainerLifecycle lifecycle)
{
    private readonly NetworkStore _networks = new(lifecycle.Store.Location);

    /// <summary>The names of the containers a forced removal of <paramref name="network"/> removes, for -WhatIf and -Confirm.</summary>
    public IReadOnlyList<string> ContainersOn(string network) =>
        lifecycle.Store.UsingNetwork(network).Select(record => record.Name).Order(StringComparer.Ordinal).ToList();

    public void Remove(string network, bool force)
    {
        // Checked first: a name that is no removable network removes no container.
        _networks.RequireRemovable(network);
        if (force)
        {
            // Before the networks lock: a removal takes each container's lock, which comes first (as at a start).
            foreach (var record in lifecycle.Store.UsingNetwork(network))
            {
                try
                {
                    lifecycle.Remove(record.Id, force: true);
                }
                catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
                {
                    // removed meanwhile
                }
            }
        }
        _networks.Remove(network, force);
    }
}
