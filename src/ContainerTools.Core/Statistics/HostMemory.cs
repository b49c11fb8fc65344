using System.Globalization;

namespace ContainerTools.Core.Statistics;

/// <summary>The machine's memory, the ceiling of a container without a memory limit.</summary>
public static class HostMemory
{
    public static long TotalBytes()
    {
        foreach (string line in File.ReadLines("/proc/meminfo"))
        {
            // "MemTotal:       24682416 kB"
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return long.Parse(line["MemTotal:".Length..].Replace("kB", "").Trim(), CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidDataException("/proc/meminfo has no MemTotal line");
    }
}
