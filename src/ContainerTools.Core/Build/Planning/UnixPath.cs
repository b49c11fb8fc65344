namespace ContainerTools.Core.Build.Planning;

/// <summary>Lexical operations on paths inside an image (always '/'-separated, whatever the host).</summary>
public static class UnixPath
{
    /// <summary><paramref name="path"/> when absolute, else <paramref name="directory"/>/<paramref name="path"/>.</summary>
    public static string Join(string directory, string path) =>
        path.StartsWith('/') ? path : directory.TrimEnd('/') + "/" + path;

    /// <summary>Go's path.Clean for absolute paths: no empty, "." or ".." components; ".." at the root stays at the root.</summary>
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}
