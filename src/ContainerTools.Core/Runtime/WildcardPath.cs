namespace ContainerTools.Core.Runtime;

/// <summary>
/// An absolute path whose names may hold wildcards (<see cref="WildcardName"/>), expanded name by name into the
/// existing paths that match, in order. Where the names come from is the caller's: a host directory, or one of a
/// container opened inside its root, so a pattern never reaches further than a plain path would.
/// </summary>
internal static class WildcardPath
{
    /// <param name="names">The names in a directory; none when it is not one.</param>
    /// <param name="exists">Whether an entry is at a path (for the plain names after a wildcard).</param>
    public static IReadOnlyList<string> Expand(string pattern, Func<string, IEnumerable<string>> names, Func<string, bool> exists)
    {
        var paths = new List<string> { "/" };
        foreach (string part in pattern.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            paths = WildcardName.Parse(part) is { } wildcard
                ? paths.SelectMany(directory => names(directory).Where(wildcard.Matches).Order(StringComparer.Ordinal).Select(name => Join(directory, name))).ToList()
                : paths.Select(directory => Join(directory, WildcardName.Unescape(part))).ToList();
        }
        return paths.Where(exists).ToList();
    }

    private static string Join(string directory, string name) => directory.EndsWith('/') ? directory + name : directory + "/" + name;
}
