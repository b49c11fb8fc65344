namespace ContainerTools.Core.Registry;

/// <summary>
/// A WWW-Authenticate challenge as registries send it: <c>Bearer realm="...",service="...",scope="..."</c>
/// or <c>Basic realm="..."</c>. Only the first challenge is read (registries send one).
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    public static AuthChallenge? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return null;
        header = header.Trim();
        int space = header.IndexOf(' ');
        string scheme = space < 0 ? header : header[..space];
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = space < 0 ? header.Length : space + 1;
        while (i < header.Length)
        {
            while (i < header.Length && (header[i] == ' ' || header[i] == ','))
                i++;
            int equals = header.IndexOf('=', i);
            if (equals < 0)
                break;
            string name = header[i..equals].Trim();
            i = equals + 1;
            string value;
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
                value = text.ToString();
            }
            else
            {
                int end = header.IndexOf(',', i);
                if (end < 0)
                    end = header.Length;
                value = header[i..end].Trim();
                i = end;
            }
            parameters[name] = value;
        }
        return new AuthChallenge(scheme, parameters);
    }
}
