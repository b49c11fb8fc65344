using System.Text;
using System.Text.RegularExpressions;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// One name of a path written with PowerShell's wildcards, as Copy-Item takes them: * (any run), ? (one
/// character), [abc] and [a-z] (one of a set), ` escaping the next character. Matched without regard to case
/// and never matching a hidden (dot) name unless the pattern starts with a dot, as pwsh does on Linux.
/// </summary>
public sealed class WildcardName
{
    private readonly Regex _pattern;
    private readonly bool _matchesHidden;

    private WildcardName(Regex pattern, bool matchesHidden)
    {
        _pattern = pattern;
        _matchesHidden = matchesHidden;
    }

    /// <summary>The matcher for <paramref name="name"/>; null when it has no wildcard (it is then a plain name, see <see cref="Unescape"/>).</summary>
    public static WildcardName? Parse(string name)
    {
        var regex = new StringBuilder("^");
        bool wildcard = false;
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            switch (c)
            {
                case '`' when i + 1 < name.Length:
                    regex.Append(Regex.Escape(name[++i].ToString()));
                    break;
                case '*':
                    regex.Append(".*");
                    wildcard = true;
                    break;
                case '?':
                    regex.Append('.');
                    wildcard = true;
                    break;
                case '[' when name.IndexOf(']', i + 2) is int close and > 0:
                    regex.Append('[').Append(CharacterSet(name[(i + 1)..close])).Append(']');
                    i = close;
                    wildcard = true;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        // NonBacktracking: a name of many stars costs linear time, never a backtracking blow-up.
        const RegexOptions options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking;
        return wildcard ? new WildcardName(new Regex(regex.Append('$').ToString(), options), name.StartsWith('.')) : null;
    }

    /// <summary>True when any name of <paramref name="path"/> has a wildcard.</summary>
    public static bool AnyIn(string path) => path.Split('/').Any(name => Parse(name) is not null);

    /// <summary>A name without wildcards, its escapes removed: `[1`] is [1].</summary>
    public static string Unescape(string name)
    {
        var plain = new StringBuilder(name.Length);
        for (int i = 0; i < name.Length; i++)
            plain.Append(name[i] == '`' && i + 1 < name.Length ? name[++i] : name[i]);
        return plain.ToString();
    }

    public bool Matches(string name) => (_matchesHidden || !name.StartsWith('.')) && _pattern.IsMatch(name);

    /// <summary>The inside of [...]: a '-' between two characters is a range; every other character is itself.</summary>
    private static string CharacterSet(string set) =>
        // Escaping a character that is not a letter or digit always means the character itself in .NET regex.
        string.Concat(set.Select((c, i) => c == '-' && i > 0 && i < set.Length - 1 || char.IsLetterOrDigit(c) ? c.ToString() : "\\" + c));
}
