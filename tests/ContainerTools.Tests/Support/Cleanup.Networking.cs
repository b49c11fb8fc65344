using System.Text.RegularExpressions;
using ContainerTools.Core;
using ContainerTools.Core.Networking;
using ContainerTools.Core.Store;

namespace ContainerTools.Tests.Support;

/// <summary>Undoing what a store's networks made on the host: attachments (CNI DEL), bridges, isolation rules.</summary>
public static partial class Cleanup
{
    public static void RemoveNetworking(StoreLocation store)
    {
        string attachments = Path.Combine(store.RunRoot, "networks", "attachments");
        foreach (var record in Directory.Exists(attachments) ? Directory.GetFiles(attachments, "*.json") : [])
        {
            try { new ContainerNetworking(store).Detach(Path.GetFileNameWithoutExtension(record)); }
            catch (Exception) { /* best effort: the mounts and processes go next anyway */ }
        }
        var networks = new NetworkStore(store);
        foreach (var config in Directory.Exists(store.NetworksDirectory) ? Directory.GetFiles(store.NetworksDirectory, "*.conflist") : [])
        {
            try { RemoveBridge(networks.Definition(Path.GetFileNameWithoutExtension(config)).Bridge); }
            catch (Exception e) when (e is IOException or EngineException or System.Text.Json.JsonException) { /* a half-written file names no bridge yet */ }
        }
        RemoveRulesOfGoneBridges();
    }

    /// <summary>
    /// The firewall plugin's DEL never removes its same-bridge isolation rules (it cannot know whether another
    /// container still uses the bridge), so a network the test removed left two. Rules naming one of our
    /// bridges (ct-*) that no longer exists match nothing and go here.
    /// </summary>
    private static void RemoveRulesOfGoneBridges()
    {
        string rules = Tool.TryRun("iptables-save", ["-t", "filter"]).Stdout;
        foreach (string bridge in BridgePattern().Matches(rules).Select(m => m.Value).Distinct().Where(b => !Directory.Exists("/sys/class/net/" + b)))
            DeleteRulesNaming(bridge, rules);
    }

    /// <summary>Deletes a bridge and the rules the firewall plugin's same-bridge policy left for it (iptables is a fixture here).</summary>
    public static void RemoveBridge(string bridge)
    {
        Tool.TryRun("ip", ["link", "del", bridge]);
        DeleteRulesNaming(bridge, Tool.TryRun("iptables-save", ["-t", "filter"]).Stdout);
    }

    private static void DeleteRulesNaming(string bridge, string rules)
    {
        foreach (var rule in rules.Split('\n').Where(r => r.StartsWith("-A ", StringComparison.Ordinal) && r.Contains(bridge, StringComparison.Ordinal)))
            Tool.TryRun("iptables", ["-w", .. SplitArguments(rule.Replace("-A ", "-D "))]);
    }

    /// <summary>Splits an iptables-save rule into arguments, honouring its double quotes.</summary>
    private static string[] SplitArguments(string rule) =>
        ArgumentPattern().Matches(rule).Select(m => m.Groups[1].Success ? m.Groups[1].Value.Replace("\\\"", "\"") : m.Value).ToArray();

    [GeneratedRegex(@"\bct-[0-9a-f]{10}\b")]
    private static partial Regex BridgePattern();

    [GeneratedRegex("\"((?:[^\"\\\\]|\\\\.)*)\"|\\S+")]
    private static partial Regex ArgumentPattern();
}
