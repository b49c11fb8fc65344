using System.Globalization;

namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>
/// /etc/subuid or /etc/subgid (shadow-utils' format, one `owner:start:count` a line, owner a name or a uid):
/// the host ids delegated to one owner. Read whole and checked whole, so a damaged file is reported as such
/// rather than half used.
/// </summary>
public static class SubordinateIdFile
{
    /// <summary>The ranges of <paramref name="owner"/> (a name; <paramref name="ownerUid"/> matches too when given).</summary>
    public static IReadOnlyList<IdRange> RangesOf(string path, string owner, long? ownerUid = null)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new EngineException("SubordinateIdsMissing", ErrorKind.ResourceUnavailable, path,
                $"{path} does not exist: no ids are delegated to '{owner}' for user namespaces");
        }
        var ranges = new List<IdRange>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var (name, range) = Parse(line) ?? throw new EngineException("SubordinateIdFileMalformed", ErrorKind.InvalidData, path,
                $"{path} line {i + 1} is not 'owner:start:count': '{line}'");
            if (name == owner || (ownerUid is { } uid && name == uid.ToString(CultureInfo.InvariantCulture)))
                ranges.Add(range);
        }
        if (ranges.Count == 0)
            throw new EngineException("SubordinateIdsMissing", ErrorKind.NotFound, path,
                $"{path} has no entry for '{owner}': add one (e.g. '{owner}:100000:65536') to use user namespaces");
        return ranges;
    }

    private static (string Owner, IdRange Range)? Parse(string line)
    {
        string[] fields = line.Split(':');
        if (fields.Length != 3 || fields[0].Length == 0
            || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long start)
            || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long count)
            || count == 0 || start + count > uint.MaxValue)
            return null;
        return (fields[0], new IdRange(start, count));
    }
}
