using System.Globalization;
using System.Text.RegularExpressions;

namespace ContainerTools.Core.Build.Planning;

/// <summary>EXPOSE's port specs: "80", "80/udp", "8000-8002/tcp" become the config's "port/proto" keys.</summary>
public static partial class ExposedPorts
{
    public static IEnumerable<string> Parse(string spec)
    {
        Match match = Spec().Match(spec);
        if (!match.Success)
            throw new FormatException($"invalid port spec \"{spec}\"");
        int first = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        int last = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : first;
        string protocol = match.Groups[3].Success ? match.Groups[3].Value.ToLowerInvariant() : "tcp";
        if (first < 1 || last > 65535 || last < first)
            throw new FormatException($"invalid port range \"{spec}\"");
        return Enumerable.Range(first, last - first + 1).Select(p => $"{p}/{protocol}");
    }

    [GeneratedRegex(@"^(\d{1,5})(?:-(\d{1,5}))?(?:/(tcp|udp|sctp))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Spec();
}
