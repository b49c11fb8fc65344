using System.Text;
using System.Text.Json;

namespace ContainerTools.Core.Build.Syntax;

/// <summary>The shapes an instruction's arguments come in: JSON arrays, blank-separated words, quoted words.</summary>
public static class ArgumentSyntax
{
    /// <summary>
    /// A JSON array of strings (exec form), or null when <paramref name="text"/> is not one, in which case
    /// it is the shell form. An array holding anything but strings is an error, as in Docker.
    /// </summary>
    public static IReadOnlyList<string>? TryJsonArray(string text)
    {
        text = text.Trim();
        if (!text.StartsWith('['))
            return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return null;
            var items = new List<string>();
            foreach (JsonElement item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                    throw new FormatException("when using JSON array syntax, arrays must be comprised of strings only");
                items.Add(item.GetString()!);
            }
            return items;
        }
    }

    public static IReadOnlyList<string> SplitWhitespace(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Blank-separated words where quotes group blanks and the escape character protects the next one; quotes
    /// and escapes are kept, for the substitution to remove later (BuildKit's parseWords).
    /// </summary>
    public static IReadOnlyList<string> QuotedWords(string text, char escape)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char quote = '\0';
        bool quoted = false;
        for (int pos = 0; pos < text.Length; pos++)
        {
            char ch = text[pos];
            if (quote == '\0' && char.IsWhiteSpace(ch))
            {
                if (word.Length > 0 || quoted)
                    words.Add(word.ToString());
                word.Clear();
                quoted = false;
                continue;
            }
            if (ch == escape && quote != '\'')
            {
                if (pos + 1 == text.Length)
                    continue;
                word.Append(ch);
                ch = text[++pos];
            }
            else if (quote == '\0' && ch is '\'' or '"')
            {
                quote = ch;
                quoted = true;
            }
            else if (ch == quote)
            {
                quote = '\0';
            }
            word.Append(ch);
        }
        if (word.Length > 0 || quoted)
            words.Add(word.ToString());
        return words;
    }
}
