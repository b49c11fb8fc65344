using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Networking;

/// <summary>What networking leaves on the host, read with fixture tools: interfaces, firewall rules, leases, namespaces.</summary>
public static class HostState
{
    /// <summary>Names of the host's veth interfaces attached to <paramref name="bridge"/>.</summary>
    public static List<string> VethsOn(string bridge) =>
        Tool.TryRun("ip", ["-o", "link", "show", "master", bridge]).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':')[1].Trim().Split('@')[0])
            .ToList();

    /// <summary>iptables-save lines (filter and nat) that mention <paramref name="text"/>.</summary>
    public static List<string> RulesMentioning(string text) =>
        Tool.Run("iptables-save", "-t", "nat").Split('\n')
            .Concat(Tool.Run("iptables-save", "-t", "filter").Split('\n'))
            .Where(line => line.StartsWith("-A ", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal))
            .ToList();

    /// <summary>Address leases host-local holds for a network of the store (its lock and cursor files are not leases).</summary>
    public static List<string> Leases(Core.Store.StoreLocation store, string network)
    {
        string dir = Path.Combine(store.RunRoot, "networks", "ipam", network);
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Where(f => f != "lock" && !f.StartsWith("last_reserved_ip", StringComparison.Ordinal)).ToList()
            : [];
    }

    /// <summary>Interfaces inside a network namespace.</summary>
    public static List<string> InterfacesIn(string netnsPath) =>
        Tool.Run("nsenter", "--net=" + netnsPath, "ip", "-o", "link", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':')[1].Trim().Split('@')[0])
            .ToList();
}
