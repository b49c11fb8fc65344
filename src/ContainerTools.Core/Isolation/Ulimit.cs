using System.Globalization;

namespace ContainerTools.Core.Isolation;

/// <summary>
/// A resource limit for the container's processes, written as docker run --ulimit takes it:
/// "nofile=1024:2048" (soft:hard), "nproc=512" (soft = hard), "unlimited" or -1 for no limit.
/// </summary>
public sealed record Ulimit(string Name, int Resource, ulong Soft, ulong Hard)
{
    /// <summary>RLIM_INFINITY.</summary>
    public const ulong Unlimited = ulong.MaxValue;

    // The RLIMIT_* numbers of asm-generic/resource.h, by the names docker uses.
    private static readonly Dictionary<string, int> Resources = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cpu"] = 0, ["fsize"] = 1, ["data"] = 2, ["stack"] = 3, ["core"] = 4, ["rss"] = 5, ["nproc"] = 6,
        ["nofile"] = 7, ["memlock"] = 8, ["as"] = 9, ["locks"] = 10, ["sigpending"] = 11, ["msgqueue"] = 12,
        ["nice"] = 13, ["rtprio"] = 14, ["rttime"] = 15,
    };

    /// <summary>The OCI runtime spec's name for the limit ("RLIMIT_NOFILE").</summary>
    public string OciType => "RLIMIT_" + Name.ToUpperInvariant();

    /// <summary>Parses "name=soft[:hard]".</summary>
    /// <exception cref="EngineException">InvalidUlimit (InvalidArgument): unknown name, bad number, or soft above hard.</exception>
    public static Ulimit Parse(string text)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
            throw Invalid(text, "expected name=soft[:hard], e.g. nofile=1024:2048");
        string name = text[..equals].Trim();
        if (!Resources.TryGetValue(name, out int resource))
            throw Invalid(text, $"'{name}' is not a resource limit; known: {string.Join(", ", Resources.Keys)}");

        string[] values = text[(equals + 1)..].Split(':');
        if (values.Length > 2)
            throw Invalid(text, "expected at most soft:hard after '='");
        ulong soft = ParseValue(text, values[0]);
        ulong hard = values.Length == 2 ? ParseValue(text, values[1]) : soft;
        if (soft > hard)
            throw Invalid(text, $"the soft limit {values[0]} is above the hard limit {values[1]}");
        return new Ulimit(name.ToLowerInvariant(), resource, soft, hard);
    }

    /// <summary>The limit an OCI runtime spec names ("RLIMIT_NOFILE"), as the init reads it back from config.json.</summary>
    public static Ulimit FromOci(string type, ulong soft, ulong hard)
    {
        string name = type.StartsWith("RLIMIT_", StringComparison.Ordinal) ? type["RLIMIT_".Length..].ToLowerInvariant() : type;
        return Resources.TryGetValue(name, out int resource)
            ? new Ulimit(name, resource, soft, hard)
            : throw new EngineException("InvalidUlimit", ErrorKind.InvalidArgument, type, $"'{type}' is not a resource limit.");
    }

    private static ulong ParseValue(string text, string value)
    {
        string trimmed = value.Trim();
        if (trimmed is "-1" || trimmed.Equals("unlimited", StringComparison.OrdinalIgnoreCase))
            return Unlimited;
        return ulong.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out ulong parsed)
            ? parsed
            : throw Invalid(text, $"'{value}' is not a number, -1 or unlimited");
    }

    private static EngineException Invalid(string text, string reason) =>
        new("InvalidUlimit", ErrorKind.InvalidArgument, text, $"Invalid ulimit '{text}': {reason}.");
}
