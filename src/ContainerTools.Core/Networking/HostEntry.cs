namespace ContainerTools.Core.Networking;

/// <summary>One /etc/hosts entry given by the user (-AddHost).</summary>
public sealed record HostEntry(string Name, string Address)
{
    /// <summary>name:address or name=address, as docker run --add-host; an IPv6 address may have colons of its own.</summary>
    public static HostEntry Parse(string value)
    {
        int separator = value.IndexOfAny([':', '=']);
        string name = separator > 0 ? value[..separator] : "";
        string address = separator > 0 ? value[(separator + 1)..].Trim('[', ']') : "";
        if (name.Length == 0 || name.Length > 253 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')))
            throw new EngineException("InvalidAddHost", ErrorKind.InvalidArgument, value,
                $"'{value}' is not name:address: -AddHost takes a host name, a colon and its IP address (db:10.0.0.5)");
        if (!Addresses.TryParseEither(address, out var parsed))
            throw new EngineException("InvalidAddHost", ErrorKind.InvalidArgument, value,
                $"'{address}' in '{value}' is not an IP address: -AddHost takes a host name, a colon and its IP address (db:10.0.0.5)");
        return new HostEntry(name, parsed.ToString());
    }
}
