using ContainerTools.Core.Runtime;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>
/// The init's side of the id-mapped layers: received from the monitor (which alone may make them) before the
/// root is built, and attached over the overlay's lower directories in the init's own mount namespace.
/// </summary>
public sealed class IdMappedLowerLayers
{
    private readonly List<SafeFileHandle> _trees;

    private IdMappedLowerLayers(List<SafeFileHandle> trees) => _trees = trees;

    /// <summary>Every layer the monitor sends, until it closes its end; then the socket is closed.</summary>
    public static IdMappedLowerLayers Receive(int socket)
    {
        var trees = new List<SafeFileHandle>();
        try
        {
            while (DescriptorPassing.Receive(socket) is { } tree)
                trees.Add(tree);
        }
        finally
        {
            Native.Linux.close(socket);
        }
        return new IdMappedLowerLayers(trees);
    }

    public void Attach(IReadOnlyList<string> lowerDirectories)
    {
        if (lowerDirectories.Count != _trees.Count)
            throw new InvalidDataException($"{_trees.Count} id-mapped layers came for {lowerDirectories.Count} lower directories");
        for (int i = 0; i < _trees.Count; i++)
        {
            IdMappedLayer.Attach(_trees[i], lowerDirectories[i]);
            _trees[i].Dispose();
        }
    }
}
