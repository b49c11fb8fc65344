using System.Globalization;

namespace ContainerTools.Core.Statistics;

/// <summary>Bytes received and sent on a network namespace's interfaces (loopback excluded), seen through one of its processes.</summary>
public readonly record struct NetworkCounters(long Received, long Sent)
{
    public static NetworkCounters Zero => default;

    /// <summary>Reads /proc/&lt;pid&gt;/net/dev, which shows the network namespace of that process; zero once it is gone.</summary>
    public static NetworkCounters Of(int pid)
    {
        try
        {
            return Parse(File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/net/dev"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return Zero;
        }
    }

    public static NetworkCounters Parse(IEnumerable<string> netDev)
    {
        long received = 0, sent = 0;
        foreach (string line in netDev.Skip(2))
        {
            // "  eth0: 200838921 4613 0 0 0 0 0 0 253035 3107 0 0 0 0 0 0": rx bytes first, tx bytes ninth.
            int colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() == "lo")
                continue;
            string[] fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 9)
                continue;
            received += long.Parse(fields[0], CultureInfo.InvariantCulture);
            sent += long.Parse(fields[8], CultureInfo.InvariantCulture);
        }
        return new NetworkCounters(received, sent);
    }
}
