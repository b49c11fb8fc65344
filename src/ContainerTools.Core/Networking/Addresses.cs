using System.Buffers.Binary;
using System.Net;

namespace ContainerTools.Core.Networking;

/// <summary>IPv4 arithmetic the subnets need: host addresses and their offsets.</summary>
internal static class Addresses
{
    /// <summary>True when <paramref name="address"/> is in the subnet and is neither its network nor its broadcast address.</summary>
    public static bool IsHost(IPNetwork subnet, IPAddress address)
    {
        if (!subnet.Contains(address))
            return false;
        uint value = ToUInt32(address), network = ToUInt32(subnet.BaseAddress);
        uint broadcast = network | (uint)((1UL << (32 - subnet.PrefixLength)) - 1);
        return value != network && value != broadcast;
    }

    /// <summary>Dotted-quad IPv4 only: IPAddress.Parse also takes inet_aton forms ("10.1.2" is 10.1.0.2) and IPv6.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        return text.Count(c => c == '.') == 3 && IPAddress.TryParse(text, out address)
            && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
    }

    /// <summary>An IPv4 address as <see cref="TryParse"/> takes it, or an IPv6 one: what a user writes for a host or a name server.</summary>
    public static bool TryParseEither(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address) =>
        TryParse(text, out address) || (text.Contains(':') && IPAddress.TryParse(text, out address)
            && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);

    public static IPAddress Offset(IPAddress address, uint offset)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, ToUInt32(address) + offset);
        return new IPAddress(bytes);
    }

    private static uint ToUInt32(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
}
