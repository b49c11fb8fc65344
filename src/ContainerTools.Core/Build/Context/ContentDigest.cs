using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ContainerTools.Core.Build.Context;

/// <summary>
/// The digest of what a COPY/ADD would copy from the context: for every file under each source (walked in
/// name order, skipping what .dockerignore and --exclude leave out) its path, type, permission bits, owner,
/// size, link target and content. Times are left out, as Docker does, so a touched but unchanged file
/// still hits the cache.
/// </summary>
public static class ContentDigest
{
    /// <param name="sources">Context paths, as <see cref="BuildContext.Expand"/> returns them.</param>
    /// <param name="excludes">COPY --exclude patterns, relative to each source.</param>
    public static string Of(BuildContext context, IEnumerable<string> sources, DockerIgnore excludes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string source in sources)
        {
            Add(hash, $"source {source}\n");
            foreach (var (path, relative, entry) in context.Walk(source, excludes))
                Add(hash, Describe(context, path, relative, entry));
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Describe(BuildContext context, string path, string relative, ContextEntry entry)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture,
            $"{(relative.Length == 0 ? "." : relative)}\0{entry.Kind}\0{Convert.ToString(entry.Permissions, 8)}\0{entry.Uid}\0{entry.Gid}");
        if (entry.Kind == ContextEntryKind.Regular)
            line.Append(CultureInfo.InvariantCulture, $"\0{entry.Size}\0{ContentHash(context, path)}");
        else if (entry.Kind == ContextEntryKind.Symlink)
            line.Append('\0').Append(context.ReadLink(path));
        else if (entry.Kind is ContextEntryKind.CharacterDevice or ContextEntryKind.BlockDevice)
            line.Append(CultureInfo.InvariantCulture, $"\0{entry.Device}");
        return line.Append('\n').ToString();
    }

    private static string ContentHash(BuildContext context, string path)
    {
        using var stream = context.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void Add(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
}
