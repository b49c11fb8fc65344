using System.Text;

namespace ContainerTools.Core.Build.Syntax;

/// <summary>
/// The `--name=value` options in front of an instruction's arguments (BuildKit's extractBuilderFlags and
/// BFlags): they end at the first word not starting with `--` or at a bare `--`; quotes group, a backslash
/// escapes. Each instruction names the flags it knows; any other is an error, as is a repeated single flag.
/// </summary>
public sealed class InstructionFlags
{
    private readonly Dictionary<string, List<string?>> _values;

    private InstructionFlags(Dictionary<string, List<string?>> values) => _values = values;

    /// <summary>Splits flags off <paramref name="text"/>; returns them and the remaining arguments.</summary>
    public static (IReadOnlyList<string> Flags, string Arguments) Split(string text)
    {
        var words = new List<string>();
        int pos = 0;
        while (true)
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos]))
                pos++;
            if (pos + 1 >= text.Length || text[pos] != '-' || text[pos + 1] != '-')
                return (words, text[pos..]);
            var word = new StringBuilder();
            char quote = '\0';
            for (; pos < text.Length && (quote != '\0' || !char.IsWhiteSpace(text[pos])); pos++)
            {
                char ch = text[pos];
                if (quote == '\0' && ch is '\'' or '"')
                    quote = ch;
                else if (ch == quote)
                    quote = '\0';
                else if (ch == '\\' && pos + 1 < text.Length)
                    word.Append(text[++pos]);
                else if (ch != '\\')
                    word.Append(ch);
            }
            if (word.ToString() == "--")
                return (words, text[pos..]);
            words.Add(word.ToString());
        }
    }

    /// <param name="repeatable">Flags that may be given more than once (--exclude, --mount).</param>
    public static InstructionFlags Parse(IReadOnlyList<string> words, IReadOnlyCollection<string> known,
        IReadOnlyCollection<string> repeatable, Func<string, Exception> error)
    {
        var values = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        foreach (string word in words)
        {
            string body = word[2..];
            int equals = body.IndexOf('=');
            string name = equals < 0 ? body : body[..equals];
            string? value = equals < 0 ? null : body[(equals + 1)..];
            if (!known.Contains(name))
                throw error($"unknown flag: {name}");
            if (!values.TryGetValue(name, out var list))
                values[name] = list = [];
            else if (!repeatable.Contains(name))
                throw error($"duplicate flag specified: {name}");
            list.Add(value);
        }
        return new InstructionFlags(values);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The value of a flag that needs one (`--from=x`); null when absent.</summary>
    public string? Value(string name, Func<string, Exception> error)
    {
        if (!_values.TryGetValue(name, out var list))
            return null;
        return list[0] ?? throw error($"missing a value on flag: {name}");
    }

    public IReadOnlyList<string> Values(string name, Func<string, Exception> error) =>
        _values.TryGetValue(name, out var list)
            ? list.Select(v => v ?? throw error($"missing a value on flag: {name}")).ToList()
            : [];
}
