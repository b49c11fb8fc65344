namespace ContainerTools.Ctrun;

/// <summary>
/// runc-style arguments of one command: flags as --name value, --name=value or -n value, booleans without
/// a value, repeatable flags, then positionals. An unknown flag is an error, as urfave/cli reports it.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _values = [];
    private readonly HashSet<string> _switches = [];

    public List<string> Positionals { get; } = [];

    /// <param name="valued">Flags that take a value (canonical name first, "name|n").</param>
    /// <param name="switches">Boolean flags ("name|n").</param>
    public static Arguments Parse(IEnumerable<string> args, string[] valued, string[] switches, bool stopAtFirstPositional = false)
    {
        var parsed = new Arguments();
        var valueNames = Aliases(valued);
        var switchNames = Aliases(switches);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            string arg = e.Current;
            if (arg == "--")
            {
                while (e.MoveNext())
                    parsed.Positionals.Add(e.Current);
                break;
            }
            if (arg.Length < 2 || arg[0] != '-' || (stopAtFirstPositional && parsed.Positionals.Count > 0))
            {
                parsed.Positionals.Add(arg);
                if (stopAtFirstPositional && parsed.Positionals.Count > 0)
                {
                    while (e.MoveNext())
                        parsed.Positionals.Add(e.Current);
                    break;
                }
                continue;
            }
            string name = arg.TrimStart('-');
            string? inline = null;
            int equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }
            if (valueNames.TryGetValue(name, out var canonical))
            {
                string value = inline ?? (e.MoveNext() ? e.Current : throw new UsageException($"flag needs an argument: {arg}"));
                if (!parsed._values.TryGetValue(canonical, out var list))
                    parsed._values[canonical] = list = [];
                list.Add(value);
            }
            else if (switchNames.TryGetValue(name, out canonical))
            {
                if (inline is null || inline == "true")
                    parsed._switches.Add(canonical);
            }
            else
                throw new UsageException($"flag provided but not defined: {arg}");
        }
        return parsed;
    }

    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public bool Has(string name) => _switches.Contains(name) || _values.ContainsKey(name);

    public string Id(string command) => Positionals.Count > 0 ? Positionals[0]
        : throw new UsageException($"\"{command}\" requires a container id");

    private static Dictionary<string, string> Aliases(string[] specs)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var parts = spec.Split('|');
            foreach (var part in parts)
                names[part] = parts[0];
        }
        return names;
    }
}

/// <summary>A command line that cannot be understood: the message, then exit code 1, as runc.</summary>
public sealed class UsageException(string message) : Exception(message);
