using System.Text;
using System.Text.RegularExpressions;

namespace ContainerTools.Core.Build.Context;

/// <summary>Go's filepath.Match syntax as a regex: '*' and '?' never cross '/', [classes] with '^' negation, '\' escapes.</summary>
public static class GlobSyntax
{
    public static bool HasWildcards(string pattern) => pattern.IndexOfAny(['*', '?', '[']) >= 0;

    /// <param name="doubleStar">Whether '**' matches any number of directories (.dockerignore, not COPY sources).</param>
    /// <exception cref="FormatException">A malformed pattern ("[", "[]", "[z-a]"): Go's ErrBadPattern, for the caller to place.</exception>
    public static Regex ToRegex(string pattern, bool doubleStar)
    {
        var regex = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char ch = pattern[i];
            if (doubleStar && ch == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    i++;
                // "**" at the end matches everything below; elsewhere any number of directories, even none.
                regex.Append(i + 1 == pattern.Length ? ".*" : "(.*/)?");
            }
            else if (ch == '*')
                regex.Append("[^/]*");
            else if (ch == '?')
                regex.Append("[^/]");
            else if (ch == '\\')
                regex.Append(i + 1 < pattern.Length ? Regex.Escape(pattern[++i].ToString()) : @"\\");
            else if (ch is '[' or ']' || (ch is '^' or '-' && i > 0 && pattern[i - 1] == '['))
                regex.Append(ch);
            else
                regex.Append(Regex.Escape(ch.ToString()));
        }
        try
        {
            return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
        catch (ArgumentException)
        {
            throw new FormatException($"syntax error in pattern \"{pattern}\"");
        }
    }
}
