using System.Net;
using System.Text.Json.Nodes;

namespace ContainerTools.Core.Networking;

/// <summary>
/// A network's CNI configuration list: bridge (with host-local IPAM), portmap and firewall. The firewall's
/// same-bridge ingress policy is what keeps containers of two networks from reaching each other.
/// </summary>
public static class NetworkConfList
{
    public const string CniVersion = "1.0.0";

    public static string Render(NetworkDefinition network)
    {
        var ipam = new JsonObject
        {
            ["type"] = "host-local",
            ["ranges"] = new JsonArray(new JsonArray(new JsonObject
            {
                ["subnet"] = network.Subnet.ToString(),
                ["gateway"] = network.Gateway.ToString(),
            })),
        };
        if (!network.Internal)
            ipam["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" });

        var plugins = new JsonArray(new JsonObject
        {
            ["type"] = "bridge",
            ["bridge"] = network.Bridge,
            ["isGateway"] = !network.Internal,
            ["ipMasq"] = !network.Internal,
            ["hairpinMode"] = true,
            ["ipam"] = ipam,
            ["capabilities"] = new JsonObject { ["ips"] = true },
        });
        if (!network.Internal)
            plugins.Add((JsonNode)new JsonObject { ["type"] = "portmap", ["capabilities"] = new JsonObject { ["portMappings"] = true } });
        plugins.Add((JsonNode)new JsonObject { ["type"] = "firewall", ["backend"] = "iptables", ["ingressPolicy"] = "same-bridge" });

        var list = new JsonObject { ["cniVersion"] = CniVersion, ["name"] = network.Name, ["plugins"] = plugins };
        return list.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Reads a network back from its conflist; a file that is not one of ours is InvalidData.</summary>
    public static NetworkDefinition Parse(string name, string json)
    {
        try
        {
            var list = JsonNode.Parse(json)!.AsObject();
            var bridge = list["plugins"]!.AsArray().Single(p => (string?)p!["type"] == "bridge")!;
            var range = bridge["ipam"]!["ranges"]![0]![0]!;
            return new NetworkDefinition(
                (string?)list["name"] ?? name,
                IPNetwork.Parse((string)range["subnet"]!),
                IPAddress.Parse((string)range["gateway"]!),
                Internal: !((bool?)bridge["isGateway"] ?? false),
                Bridge: (string)bridge["bridge"]!);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException
                                      or FormatException or ArgumentException)
        {
            throw new EngineException("InvalidNetworkConfig", ErrorKind.InvalidData, name,
                $"The configuration of network '{name}' is not a bridge network this engine wrote: {e.Message}", e);
        }
    }
}
