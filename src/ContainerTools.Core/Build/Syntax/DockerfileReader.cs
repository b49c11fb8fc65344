using System.Text;
using System.Text.RegularExpressions;

namespace ContainerTools.Core.Build.Syntax;

/// <summary>
/// Turns Dockerfile text into logical lines as BuildKit does: parser directives (`# escape=`, `# syntax=`,
/// `# check=`) only before anything else, comment lines dropped (also inside continuations), a line ending in
/// the escape character (optionally followed by blanks) continued by the next one, empty continuation lines
/// skipped. Text with a NUL character is refused.
/// </summary>
public static partial class DockerfileReader
{
    private static readonly string[] KnownDirectives = ["escape", "syntax", "check"];

    public static (char Escape, IReadOnlyList<LogicalLine> Lines) Read(string text, string source)
    {
        string[] lines = text.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n');
        // No instruction can carry a NUL: the kernel would cut a command, path or user at it (or refuse it).
        int nul = Array.FindIndex(lines, l => l.Contains('\0'));
        if (nul >= 0)
            throw DockerfileErrors.Syntax(source, nul + 1, "the line contains a NUL character (is this a text file?)");
        char escape = '\\';
        int index = ReadDirectives(lines, source, ref escape);
        var result = new List<LogicalLine>();
        var buffer = new StringBuilder();
        while (index < lines.Length)
        {
            int start = index + 1;
            string line = lines[index++].TrimStart();
            if (line.Length == 0 || IsComment(line))
                continue;
            bool continued = TrimContinuation(ref line, escape);
            buffer.Clear().Append(line);
            while (continued && index < lines.Length)
            {
                string next = lines[index++];
                if (IsComment(next) || next.Trim().Length == 0)
                    continue;
                continued = TrimContinuation(ref next, escape);
                buffer.Append(next);
            }
            if (buffer.ToString().Trim().Length > 0)
                result.Add(new LogicalLine(start, buffer.ToString()));
        }
        return (escape, result);
    }

    private static int ReadDirectives(string[] lines, string source, ref char escape)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        for (; index < lines.Length; index++)
        {
            Match match = Directive().Match(lines[index].TrimStart());
            string name = match.Success ? match.Groups[1].Value.ToLowerInvariant() : "";
            if (!KnownDirectives.Contains(name))
                break;
            if (!seen.Add(name))
                throw DockerfileErrors.Syntax(source, index + 1, $"only one {name} parser directive can be used");
            if (name == "escape")
            {
                string value = match.Groups[2].Value;
                if (value is not ("\\" or "`"))
                    throw DockerfileErrors.Syntax(source, index + 1, $"invalid escape token '{value}' does not match ` or \\");
                escape = value[0];
            }
        }
        return index;
    }

    private static bool IsComment(string line) => line.TrimStart().StartsWith('#');

    /// <summary>Drops a trailing escape character (and blanks after it); true when the instruction goes on.</summary>
    private static bool TrimContinuation(ref string line, char escape)
    {
        string trimmed = line.TrimEnd(' ', '\t');
        if (!trimmed.EndsWith(escape))
            return false;
        line = trimmed[..^1];
        return true;
    }

    [GeneratedRegex(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex Directive();
}
