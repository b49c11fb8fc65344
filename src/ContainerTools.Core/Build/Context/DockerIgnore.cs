namespace ContainerTools.Core.Build.Context;

/// <summary>
/// The exclusion rules of a build context (.dockerignore, or &lt;Dockerfile&gt;.dockerignore beside the
/// Dockerfile, which wins). A path is excluded when the last pattern that matches it, or one of its parent
/// directories, is not an exception. COPY --exclude uses the same matcher.
/// </summary>
public sealed class DockerIgnore
{
    public const string FileName = ".dockerignore";

    public DockerIgnore(IReadOnlyList<IgnorePattern> patterns) => Patterns = patterns;

    public static DockerIgnore None { get; } = new([]);

    public IReadOnlyList<IgnorePattern> Patterns { get; }

    /// <summary>True when an exception ('!') could re-include something below an excluded directory.</summary>
    public bool HasExceptions => Patterns.Any(p => p.IsException);

    public static DockerIgnore Parse(string text) =>
        new(text.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n')
            .Select(IgnorePattern.Parse).OfType<IgnorePattern>().ToList());

    public static DockerIgnore FromPatterns(IEnumerable<string> patterns) =>
        new(patterns.Select(IgnorePattern.Parse).OfType<IgnorePattern>().ToList());

    /// <summary>The rules for building <paramref name="dockerfile"/> with <paramref name="contextDirectory"/>.</summary>
    public static DockerIgnore ForBuild(string contextDirectory, string dockerfile)
    {
        string specific = dockerfile + FileName;
        string general = Path.Combine(contextDirectory, FileName);
        string? file = File.Exists(specific) ? specific : File.Exists(general) ? general : null;
        if (file is null)
            return None;
        try
        {
            return Parse(File.ReadAllText(file));
        }
        catch (FormatException e)
        {
            throw new EngineException("DockerIgnoreSyntaxError", ErrorKind.InvalidData, file, $"{file}: {e.Message}");
        }
    }

    /// <summary>Whether <paramref name="path"/> ('/'-separated, relative to the context) is left out.</summary>
    public bool IsExcluded(string path)
    {
        bool excluded = false;
        string[] parents = path.Split('/');
        foreach (IgnorePattern pattern in Patterns)
        {
            // An exception can only change an excluded path, and an exclusion only an included one.
            if (pattern.IsException != excluded)
                continue;
            bool match = pattern.Matches(path);
            for (int i = 1; !match && i < parents.Length; i++)
                match = pattern.Matches(string.Join('/', parents, 0, i));
            if (match)
                excluded = !pattern.IsException;
        }
        return excluded;
    }
}
