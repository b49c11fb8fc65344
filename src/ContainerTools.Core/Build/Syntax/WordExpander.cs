using System.Text;

namespace ContainerTools.Core.Build.Syntax;

/// <summary>
/// Docker's variable substitution for one word (the rules of BuildKit's shell lexer): $VAR, ${VAR},
/// ${VAR:-default}, ${VAR-default}, ${VAR:+alt}, ${VAR+alt}, ${VAR:?message}, ${VAR?message}; single quotes
/// are literal, double quotes allow $ and escape only " $ and the escape character; the escape character
/// outside quotes takes the next character literally. Quotes and escapes are removed from the result.
/// </summary>
public sealed class WordExpander
{
    private readonly Func<string, string?> _lookup;
    private readonly char _escape;
    private string _text = "";
    private int _pos;

    /// <param name="lookup">The value of a variable, or null when it is not set.</param>
    public WordExpander(Func<string, string?> lookup, char escape = '\\')
    {
        _lookup = lookup;
        _escape = escape;
    }

    /// <summary>Expands <paramref name="word"/>; a malformed substitution throws <see cref="FormatException"/>.</summary>
    public string Expand(string word)
    {
        _text = word;
        _pos = 0;
        return Until(stop: null);
    }

    private bool AtEnd => _pos >= _text.Length;
    private char Peek => _text[_pos];

    private string Until(char? stop)
    {
        var result = new StringBuilder();
        while (!AtEnd)
        {
            char ch = Peek;
            if (stop == ch)
            {
                _pos++;
                return result.ToString();
            }
            switch (ch)
            {
                case '\'':
                    result.Append(SingleQuoted());
                    break;
                case '"':
                    result.Append(DoubleQuoted());
                    break;
                case '$':
                    result.Append(Dollar());
                    break;
                default:
                    _pos++;
                    if (ch == _escape)
                    {
                        if (AtEnd)
                            return result.ToString();
                        ch = _text[_pos++];
                    }
                    result.Append(ch);
                    break;
            }
        }
        if (stop is not null)
            throw new FormatException($"unexpected end of statement while looking for matching {stop}");
        return result.ToString();
    }

    private string SingleQuoted()
    {
        int start = ++_pos;
        int end = _text.IndexOf('\'', start);
        if (end < 0)
            throw new FormatException("unexpected end of statement while looking for matching single-quote");
        _pos = end + 1;
        return _text[start..end];
    }

    private string DoubleQuoted()
    {
        var result = new StringBuilder();
        _pos++;
        while (true)
        {
            if (AtEnd)
                throw new FormatException("unexpected end of statement while looking for matching double-quote");
            char ch = Peek;
            if (ch == '"')
            {
                _pos++;
                return result.ToString();
            }
            if (ch == '$')
            {
                result.Append(Dollar());
                continue;
            }
            _pos++;
            if (ch == _escape)
            {
                if (AtEnd)
                    continue;
                // Only these are escapable inside double quotes; any other escape character stays as written.
                if (Peek == '"' || Peek == '$' || Peek == _escape)
                    ch = _text[_pos++];
            }
            result.Append(ch);
        }
    }

    private string Dollar()
    {
        _pos++;
        if (AtEnd || Peek != '{')
        {
            string name = Name();
            return name.Length == 0 ? "$" : _lookup(name) ?? "";
        }
        _pos++;
        if (AtEnd)
            throw new FormatException("syntax error: missing '}'");
        if (Peek is '{' or '}' or ':')
            throw new FormatException("syntax error: bad substitution");
        string variable = Name();
        if (AtEnd)
            throw new FormatException("syntax error: missing '}'");
        char modifier = _text[_pos++];
        if (modifier == '}')
            return _lookup(variable) ?? "";
        bool orEmpty = modifier == ':';
        if (orEmpty)
        {
            if (AtEnd)
                throw new FormatException("syntax error: missing '}'");
            modifier = _text[_pos++];
        }
        if (modifier is not ('-' or '+' or '?'))
            throw new FormatException($"unsupported modifier ({modifier}) in substitution");
        string word = Until('}');
        string? value = _lookup(variable);
        // With ':' an empty value counts as unset, as in POSIX sh.
        bool present = orEmpty ? !string.IsNullOrEmpty(value) : value is not null;
        return modifier switch
        {
            '-' => present ? value! : word,
            '+' => present ? word : "",
            _ => present ? value! : throw new FormatException(
                $"{variable}: {(word.Length > 0 ? word : value is null ? "is not allowed to be unset" : "is not allowed to be empty")}"),
        };
    }

    private string Name()
    {
        int start = _pos;
        if (!AtEnd && char.IsAsciiDigit(Peek))
        {
            while (!AtEnd && char.IsAsciiDigit(Peek))
                _pos++;
            return _text[start.._pos];
        }
        while (!AtEnd && (char.IsLetterOrDigit(Peek) || Peek == '_'))
            _pos++;
        return _text[start.._pos];
    }
}
