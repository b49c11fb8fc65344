using System.Net;
using System.Security.Cryptography;
using System.Text;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Networking;

/// <summary>
/// A bridge network as the engine sees it. Its on-disk form is a CNI .conflist (see NetworkConfList);
/// everything here is read back from that file, so the file is the only truth.
/// </summary>
/// <param name="Bridge">The host bridge interface (at most 15 characters, the kernel's limit).</param>
/// <param name="Internal">No gateway on the host and no masquerading: containers reach only each other.</param>
public sealed record NetworkDefinition(string Name, IPNetwork Subnet, IPAddress Gateway, bool Internal, string Bridge)
{
    /// <summary>
    /// The bridge of a store's network: derived from both, so two stores on one host (every throwaway test
    /// store, for one) never share a bridge.
    /// </summary>
    public static string BridgeName(StoreLocation store, string network)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(store.Root + "\n" + network));
        return "ct-" + Convert.ToHexStringLower(hash)[..10];
    }
}
