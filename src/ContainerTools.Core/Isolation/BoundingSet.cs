using System.Globalization;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// The capabilities this process may ever hold (its bounding set): "every capability" for a container means
/// these, since the kernel refuses to grant a container what its runtime lacks (this machine has no CAP_SYS_RESOURCE).
/// </summary>
public static class BoundingSet
{
    public static IReadOnlyList<string> OfThisProcess()
    {
        string hex = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:", StringComparison.Ordinal))["CapBnd:".Length..].Trim();
        ulong mask = ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return [.. Capabilities.All.Where((_, number) => (mask & (1UL << number)) != 0)];
    }
}
