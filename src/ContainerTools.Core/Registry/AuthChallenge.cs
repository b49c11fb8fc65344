namespace ContainerTools.Core.Registry;

/// <summary>
/// A WWW-Authenticate challenge as registries send it: <c>Bearer realm="...",service="...",scope="..."</c>
/// or <c>Basic realm="..."</c>. A header may hold several challenges (RFC 7235), and a response several headers:
/// Bearer is chosen first (it serves anonymous pulls too), then Basic, then whatever came first.
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>The challenge to answer among those of <paramref name="response"/>, as the server sent them.</summary>
    public static AuthChallenge? From(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values) ? Parse(string.Join(", ", values)) : null;

    public static AuthChallenge? Parse(string? header) =>
        ParseAll(header ?? "").OrderBy(c => c.IsBearer ? 0 : c.IsBasic ? 1 : 2).FirstOrDefault();

    /// <summary>
    /// Every challenge in <paramref name="header"/>: a token followed by '=' is a parameter of the challenge before
    /// it, any other token starts a new challenge.
    /// </summary>
    private static List<AuthChallenge> ParseAll(string header)
    {
        var challenges = new List<AuthChallenge>();
        Dictionary<string, string>? parameters = null;
        int i = 0;
        while (true)
        {
            while (i < header.Length && header[i] is ' ' or '\t' or ',')
                i++;
            if (i >= header.Length)
                return challenges;
            int start = i;
            while (i < header.Length && header[i] is not (' ' or '\t' or ',' or '='))
                i++;
            string token = header[start..i];
            while (i < header.Length && header[i] is ' ' or '\t')
                i++;
            bool isParameter = i < header.Length && header[i] == '=';
            if (isParameter)
                i++;
            if (isParameter && parameters is not null && token.Length > 0)
            {
                parameters[token] = ReadValue(header, ref i);
            }
            else if (!isParameter)
            {
                parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                challenges.Add(new AuthChallenge(token, parameters));
            }
            else
            {
                ReadValue(header, ref i); // a parameter before any scheme, or a token68's padding: nothing to keep
            }
        }
    }

    private static string ReadValue(string header, ref int i)
    {
        while (i < header.Length && header[i] is ' ' or '\t')
            i++;
        if (i < header.Length && header[i] == '"')
        {
            var text = new System.Text.StringBuilder();
            for (i++; i < header.Length && header[i] != '"'; i++)
            {
                if (header[i] == '\\' && i + 1 < header.Length)
                    i++;
                text.Append(header[i]);
            }
            i++; // the closing quote
            return text.ToString();
        }
        int end = header.IndexOf(',', i);
        if (end < 0)
            end = header.Length;
        string value = header[i..end].Trim();
        i = end;
        return value;
    }
}
