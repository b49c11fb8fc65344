using System.Text.RegularExpressions;

namespace ContainerTools.Core.Images;

/// <summary>
/// An image name in the Docker reference grammar: [registry/]repository[:tag][@digest]. Names without a
/// registry are Docker Hub's (docker.io), single-component Hub names live under library/, and a name with
/// neither tag nor digest means :latest.
/// </summary>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    public const string DefaultRegistry = "docker.io";
    public const string DefaultTag = "latest";

    /// <summary>Registry/repository:tag@digest, fully normalised (docker.io/library/busybox:latest).</summary>
    public override string ToString() =>
        Registry + "/" + Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>Registry/repository without tag or digest.</summary>
    public string Name => Registry + "/" + Repository;

    /// <summary>The short name people type: docker.io/library/ dropped (busybox:latest).</summary>
    public string Familiar => FamiliarName + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>Repository as `docker images` shows it: docker.io/library/ and docker.io/ dropped.</summary>
    public string FamiliarName => Registry != DefaultRegistry ? Name
        : Repository.StartsWith("library/", StringComparison.Ordinal) ? Repository["library/".Length..] : Repository;

    /// <summary>The same repository with another tag (and no digest).</summary>
    public ImageReference WithTag(string tag) =>
        ValidTag().IsMatch(tag) ? this with { Tag = tag, Digest = null }
            : throw Invalid(tag, $"'{tag}' is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'.");

    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out string? reason) ? reference : throw Invalid(text, reason);

    public static bool TryParse(string? text, out ImageReference reference) => TryParse(text, out reference, out _);

    private static bool TryParse(string? text, out ImageReference reference, out string reason)
    {
        reference = null!;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 4096)
        {
            reason = "An image name must not be empty.";
            return false;
        }
        string rest = text;
        string? digest = null;
        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!Images.Digest.IsValid(digest))
            {
                reason = $"'{digest}' is not a valid digest (sha256:<64 hex digits>).";
                return false;
            }
        }
        string? tag = null;
        int colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!ValidTag().IsMatch(tag))
            {
                reason = $"'{tag}' is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'.";
                return false;
            }
        }
        string registry = DefaultRegistry;
        int slash = rest.IndexOf('/');
        if (slash > 0)
        {
            string first = rest[..slash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost")
            {
                registry = first;
                rest = rest[(slash + 1)..];
                if (!ValidRegistry().IsMatch(registry))
                {
                    reason = $"'{registry}' is not a valid registry host.";
                    return false;
                }
            }
        }
        if (!ValidRepository().IsMatch(rest) || rest.Length > 255)
        {
            reason = $"'{text}' is not a valid image name: lower-case letters, digits and separators ('.', '_', '__', '-', '/').";
            return false;
        }
        if (registry == "index.docker.io")
            registry = DefaultRegistry;
        if (registry == DefaultRegistry && !rest.Contains('/'))
            rest = "library/" + rest;
        if (tag is null && digest is null)
            tag = DefaultTag;
        reference = new ImageReference(registry, rest, tag, digest);
        reason = "";
        return true;
    }

    private static EngineException Invalid(string text, string reason) =>
        new("InvalidImageReference", ErrorKind.InvalidArgument, text, reason);

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex ValidTag();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex ValidRepository();

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$")]
    private static partial Regex ValidRegistry();
}
