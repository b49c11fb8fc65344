namespace ContainerTools.Core.Build.Planning;

/// <summary>
/// The values given with -BuildArgument. Docker's rule: a value reaches a stage only through an ARG that
/// declares the name, except the proxy variables, which every RUN gets without a declaration and which stay
/// out of the history and the cache key.
/// </summary>
public sealed class BuildArguments
{
    public static readonly IReadOnlySet<string> ProxyNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    private readonly Dictionary<string, string> _values;

    public BuildArguments(IReadOnlyDictionary<string, string>? values = null) =>
        _values = new Dictionary<string, string>(values ?? new Dictionary<string, string>(), StringComparer.Ordinal);

    public static BuildArguments None { get; } = new();

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>The value given for <paramref name="name"/>, or null.</summary>
    public string? Get(string name) => _values.GetValueOrDefault(name);

    /// <summary>The proxy variables that were given, for every RUN's environment.</summary>
    public IEnumerable<KeyValuePair<string, string>> Proxies => _values.Where(p => ProxyNames.Contains(p.Key));

    /// <summary>Given names no ARG in <paramref name="declared"/> asks for (Docker warns about these).</summary>
    public IReadOnlyList<string> NotIn(IEnumerable<string> declared)
    {
        var names = new HashSet<string>(declared, StringComparer.Ordinal);
        return _values.Keys.Where(k => !names.Contains(k) && !ProxyNames.Contains(k)).Order(StringComparer.Ordinal).ToList();
    }
}
