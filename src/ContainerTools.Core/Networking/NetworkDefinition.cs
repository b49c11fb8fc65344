using System.Net;
using System.Security.Cryptography;
using System.Text;

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
    /// A bridge name no interface on the host has, chosen when the network is defined and kept in its file. It comes
    /// from the store's root and the network's name, so a network made again under its name gets its bridge name
    /// back, and with it the two isolation rules the CNI firewall plugin keeps for a bridge after its last DEL: they
    /// do not pile up with each removal and re-creation. Two stores never share a bridge, nor does a store made again
    /// at the path of one deleted by hand whose bridge is still up: a name some interface has is passed over.
    /// </summary>
    public static string NewBridgeName(Store.StoreLocation store, string network)
    {
        for (int attempt = 0; ; attempt++)
        {
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{store.Root}\0{network}\0{attempt}"));
            string name = "ct-" + Convert.ToHexStringLower(hash.AsSpan(0, 5));
            if (!Directory.Exists("/sys/class/net/" + name))
                return name;
        }
    }
}
