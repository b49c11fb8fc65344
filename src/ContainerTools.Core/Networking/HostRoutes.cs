using System.Globalization;
using System.Net;
using System.Numerics;

namespace ContainerTools.Core.Networking;

/// <summary>An IPv4 destination the host routes, and the interface it routes it through.</summary>
internal readonly record struct HostRoute(IPNetwork Destination, string Device);

/// <summary>The IPv4 destinations the host already routes (/proc/net/route), so a subnet never shadows one.</summary>
internal static class HostRoutes
{
    public static IReadOnlyList<HostRoute> All()
    {
        var routes = new List<HostRoute>();
        foreach (var line in File.ReadLines("/proc/net/route").Skip(1))
        {
            string[] fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length < 8)
                continue;
            // The kernel prints each network-order address as a native word: its native bytes are the address.
            uint destination = uint.Parse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            uint mask = uint.Parse(fields[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            int prefix = BitOperations.PopCount(mask);
            if (prefix == 0)
                continue; // the default route overlaps everything and shadows nothing
            routes.Add(new HostRoute(new IPNetwork(new IPAddress(BitConverter.GetBytes(destination & mask)), prefix), fields[0]));
        }
        return routes;
    }

    /// <summary>The first route to an address of <paramref name="subnet"/>: a bridge made on it would take that traffic.</summary>
    public static HostRoute? Overlapping(IPNetwork subnet) =>
        All().Where(r => NetworkStore.Overlap(r.Destination, subnet)).Cast<HostRoute?>().FirstOrDefault();

    /// <summary>
    /// The first route through another interface than <paramref name="bridge"/> that is as specific as
    /// <paramref name="subnet"/> or more, so would take (some of) the subnet's traffic from the bridge. A broader
    /// one (a VPN's 10.0.0.0/8 that came up later) does not: the bridge's own route is the longer match.
    /// </summary>
    public static HostRoute? Shadowing(IPNetwork subnet, string bridge) =>
        All().Where(r => r.Device != bridge && r.Destination.PrefixLength >= subnet.PrefixLength && NetworkStore.Overlap(r.Destination, subnet))
            .Cast<HostRoute?>().FirstOrDefault();
}
