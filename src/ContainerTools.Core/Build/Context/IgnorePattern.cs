using System.Text.RegularExpressions;

namespace ContainerTools.Core.Build.Context;

/// <summary>
/// One .dockerignore line as moby's patternmatcher reads it: Go filepath.Match syntax ('*' and '?' stop at
/// '/', [classes], '\' escapes) plus '**' for any number of directories; a leading '!' makes it an exception.
/// </summary>
public sealed class IgnorePattern
{
    private readonly Regex _regex;

    private IgnorePattern(string text, bool isException, Regex regex)
    {
        Text = text;
        IsException = isException;
        _regex = regex;
    }

    /// <summary>The cleaned pattern, without its '!'.</summary>
    public string Text { get; }
    public bool IsException { get; }

    /// <summary>Reads one line; null for comments and blank lines.</summary>
    public static IgnorePattern? Parse(string line)
    {
        if (line.StartsWith('#'))
            return null;
        string pattern = line.Trim();
        if (pattern.Length == 0)
            return null;
        bool exception = pattern[0] == '!';
        if (exception)
            pattern = pattern[1..].Trim();
        if (pattern.Length > 0)
        {
            pattern = Clean(pattern);
            if (pattern.Length > 1 && pattern[0] == '/')
                pattern = pattern[1..];
        }
        return new IgnorePattern(pattern, exception, GlobSyntax.ToRegex(pattern, doubleStar: true));
    }

    /// <summary>Whether <paramref name="path"/> (relative to the context, '/'-separated) matches exactly.</summary>
    public bool Matches(string path) => _regex.IsMatch(path);

    /// <summary>Go's filepath.Clean for a relative or absolute pattern.</summary>
    private static string Clean(string path)
    {
        bool rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
                parts.RemoveAt(parts.Count - 1);
            else if (part != ".." || !rooted)
                parts.Add(part);
        }
        string cleaned = string.Join('/', parts);
        return rooted ? "/" + cleaned : cleaned.Length == 0 ? "." : cleaned;
    }
}
