namespace ContainerTools.Core.Networking;

/// <summary>
/// What a container's /etc/hosts and /etc/resolv.conf get beside the generated defaults, as docker run's
/// --add-host, --dns, --dns-search and --dns-option give it: extra host entries, and name servers, search
/// domains and resolver options that replace the host's (each kind only when given).
/// </summary>
public sealed record ResolverSettings
{
    public static readonly ResolverSettings None = new();

    /// <summary>"name address" pairs for /etc/hosts, in the order given.</summary>
    public IReadOnlyList<HostEntry> ExtraHosts { get; init; } = [];
    public IReadOnlyList<string> Servers { get; init; } = [];
    /// <summary>Search domains; "." alone means none (the host's are dropped too).</summary>
    public IReadOnlyList<string> Search { get; init; } = [];
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>Reads the user's values, each checked: a host is name:address (or name=address), a server an IP address.</summary>
    public static ResolverSettings Parse(IReadOnlyList<string>? addHost, IReadOnlyList<string>? dns, IReadOnlyList<string>? dnsSearch, IReadOnlyList<string>? dnsOption) => new()
    {
        ExtraHosts = addHost?.Select(HostEntry.Parse).ToList() ?? [],
        Servers = dns?.Select(ParseServer).ToList() ?? [],
        Search = dnsSearch?.Select(domain => Checked(domain, "InvalidDnsSearch", "a search domain")).ToList() ?? [],
        Options = dnsOption?.Select(option => Checked(option, "InvalidDnsOption", "a resolver option")).ToList() ?? [],
    };

    /// <summary>The host's resolv.conf (<paramref name="hostLines"/>) with the kinds given here replaced.</summary>
    public string ResolvConf(IEnumerable<string> hostLines)
    {
        var kept = hostLines.Where(line => !(Servers.Count > 0 && Is(line, "nameserver"))
            && !(Search.Count > 0 && (Is(line, "search") || Is(line, "domain"))) && !(Options.Count > 0 && Is(line, "options")));
        var added = Servers.Select(server => "nameserver " + server);
        if (Search.Count > 0 && Search is not ["."])
            added = added.Append("search " + string.Join(' ', Search));
        if (Options.Count > 0)
            added = added.Append("options " + string.Join(' ', Options));
        return string.Concat(kept.Concat(added).Select(line => line + "\n"));
    }

    private static bool Is(string line, string keyword) =>
        line.StartsWith(keyword, StringComparison.Ordinal) && line.Length > keyword.Length && char.IsWhiteSpace(line[keyword.Length]);

    private static string ParseServer(string value) =>
        Addresses.TryParseEither(value.Trim(), out var address)
            ? address.ToString()
            : throw new EngineException("InvalidDnsServer", ErrorKind.InvalidArgument, value, $"'{value}' is not an IP address: -Dns takes name servers by address");

    /// <summary>One word of a resolv.conf line: no spaces or line breaks that would make it another line's, no '#' that would start a comment.</summary>
    private static string Checked(string value, string errorId, string what) =>
        value.Length > 0 && !value.Any(char.IsWhiteSpace) && !value.Contains('#')
            ? value
            : throw new EngineException(errorId, ErrorKind.InvalidArgument, value, $"'{value}' is not {what}: one word, without spaces or '#'");
}
