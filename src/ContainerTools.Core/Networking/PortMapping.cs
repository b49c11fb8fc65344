using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ContainerTools.Core.Networking;

/// <summary>
/// A port published on the host: traffic to HostIP:HostPort (any host address when HostIP is null) goes to
/// the container's ContainerPort. Written as docker writes it: '8080:80', '127.0.0.1:5353:53/udp', and '80' or
/// '127.0.0.1::80' for a host port to be chosen (<see cref="AnyHostPort"/> until the container is created).
/// </summary>
public sealed record PortMapping(string? HostIP, int HostPort, int ContainerPort, string Protocol)
{
    private static readonly string[] Protocols = ["tcp", "udp", "sctp"];

    /// <summary>The host port of '80' and '127.0.0.1::80': a free one is chosen when the container is created.</summary>
    public const int AnyHostPort = 0;

    /// <summary>Parses one mapping, as <see cref="ParseAll"/> does, refusing a range.</summary>
    public static PortMapping Parse(string text) =>
        ParseAll(text) is [var one] ? one : throw Invalid(text, "expected one port, not a range");

    /// <summary>
    /// Parses '[[hostIP:]hostPort:]containerPort[/protocol]' and 'hostIP::containerPort', where a port may be a range
    /// as docker's ('8080-8081:80-81', '80-81'): one mapping for each port, the host range as long as the container's.
    /// </summary>
    public static IReadOnlyList<PortMapping> ParseAll(string text)
    {
        string spec = text.Trim();
        string protocol = "tcp";
        int slash = spec.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = spec[(slash + 1)..].ToLowerInvariant();
            spec = spec[..slash];
            if (!Protocols.Contains(protocol))
                throw Invalid(text, $"unknown protocol '{protocol}' (tcp, udp or sctp)");
        }
        string[] parts = spec.Split(':');
        if (parts.Length > 3)
            throw Invalid(text, "expected containerPort, hostPort:containerPort, hostIP:hostPort:containerPort or hostIP::containerPort");
        string? hostIP = null;
        if (parts.Length == 3)
        {
            if (!IPAddress.TryParse(parts[0], out var address) || address.AddressFamily != AddressFamily.InterNetwork)
                throw Invalid(text, $"'{parts[0]}' is not an IPv4 address");
            hostIP = address.ToString();
        }
        var containerPorts = Ports(text, parts[^1]);
        // docker: an empty host port, or none at all, is any free one.
        var hostPorts = parts.Length == 1 || (parts.Length == 3 && parts[1].Length == 0) ? null : Ports(text, parts[^2]);
        if (hostPorts is not null && hostPorts.Count != containerPorts.Count)
            throw Invalid(text, $"the host range has {hostPorts.Count} ports and the container range {containerPorts.Count}");
        return containerPorts.Select((port, i) => new PortMapping(hostIP, hostPorts?[i] ?? AnyHostPort, port, protocol)).ToList();
    }

    /// <summary>True when both would claim the same host port (a mapping on all addresses claims every address).</summary>
    public bool ConflictsWith(PortMapping other) =>
        HostPort == other.HostPort && Protocol == other.Protocol
        && (HostIP is null || other.HostIP is null || HostIP == other.HostIP);

    /// <summary>As docker ps shows it: 127.0.0.1:8080->80/tcp.</summary>
    public override string ToString() => $"{HostIP ?? "0.0.0.0"}:{HostPort}->{ContainerPort}/{Protocol}";

    /// <summary>A port, or a range of them written first-last.</summary>
    private static List<int> Ports(string text, string value)
    {
        // From the second character: '-1' is a bad port, not a range.
        int dash = value.Length > 1 ? value.IndexOf('-', 1) : -1;
        if (dash < 0)
            return [Port(text, value)];
        int first = Port(text, value[..dash]), last = Port(text, value[(dash + 1)..]);
        if (last < first)
            throw Invalid(text, $"'{value}' is not a range: it ends before it starts");
        return Enumerable.Range(first, last - first + 1).ToList();
    }

    private static int Port(string text, string value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw Invalid(text, $"'{value}' is not a port number from 1 to 65535");
        return port;
    }

    private static EngineException Invalid(string text, string reason) =>
        new("InvalidPortMapping", ErrorKind.InvalidArgument, text, $"Cannot publish '{text}': {reason}.");
}
