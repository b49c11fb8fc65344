namespace ContainerTools.Core.Isolation.Cgroups;

/// <summary>
/// Relative group paths are made of plain names only, so joining one to a hierarchy root can never leave it.
/// </summary>
internal static class CgroupPath
{
    public static string[] Segments(string relativePath)
    {
        string[] segments = relativePath.Split('/');
        if (segments.Length == 0 || segments.Any(s => !IsPlainName(s)))
            throw new EngineException("InvalidCgroupPath", ErrorKind.InvalidArgument, relativePath,
                $"'{relativePath}' is not a relative cgroup path of plain names such as containertools/<id>.");
        return segments;
    }

    /// <summary>The directories from the first segment down to the group, under <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Levels(string root, string relativePath)
    {
        var levels = new List<string>();
        string current = root;
        foreach (string segment in Segments(relativePath))
        {
            current = Path.Combine(current, segment);
            levels.Add(current);
        }
        return levels;
    }

    private static bool IsPlainName(string segment) =>
        segment.Length is > 0 and <= 255 && segment is not "." and not ".."
        && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
