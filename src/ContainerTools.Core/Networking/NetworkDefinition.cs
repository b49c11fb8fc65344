using System.Net;
using System.Security.Cryptography;

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
    /// A bridge name no interface on the host has, chosen when the network is defined and kept in its file:
    /// random rather than derived from the store, so two stores never share a bridge, nor does a store made
    /// again at the path of one deleted by hand (whose bridges may still be up).
    /// </summary>
    public static string NewBridgeName()
    {
        while (true)
        {
            string name = "ct-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
            if (!Directory.Exists("/sys/class/net/" + name))
                return name;
        }
    }
}
