using System.Globalization;
using System.Net;
using System.Numerics;

namespace ContainerTools.Core.Networking;

/// <summary>The IPv4 destinations the host already routes (/proc/net/route), so a chosen subnet never shadows one.</summary>
internal static class HostRoutes
{
    public static IReadOnlyList<IPNetwork> Destinations()
    {
        var routes = new List<IPNetwork>();
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
            routes.Add(new IPNetwork(new IPAddress(BitConverter.GetBytes(destination & mask)), prefix));
        }
        return routes;
    }
}
