using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

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
            string path = FollowTopLevelLink(context, source);
            Add(hash, $"source {source}\n");
            Walk(context, hash, path, "", excludes);
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>A source that is a symlink is copied as what it points to (inside the context), as BuildKit does.</summary>
    private static string FollowTopLevelLink(BuildContext context, string source)
    {
        if (context.Stat(source)?.Kind != ContextEntryKind.Symlink)
            return source;
        int fd = context.OpenInRoot(source, LibC.O_PATH);
        try
        {
            string target = System.IO.Path.GetRelativePath(context.Directory, new FileInfo($"/proc/self/fd/{fd}").LinkTarget!);
            return target == "." ? "." : target.Replace(System.IO.Path.DirectorySeparatorChar, '/');
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private static void Walk(BuildContext context, IncrementalHash hash, string path, string relative, DockerIgnore excludes)
    {
        ContextEntry entry = context.Stat(path) ?? throw new FileNotFoundException($"{path} vanished from the build context");
        bool excluded = (path != "." && context.Ignore.IsExcluded(path)) || (relative.Length > 0 && excludes.IsExcluded(relative));
        if (excluded && (entry.Kind != ContextEntryKind.Directory || !(context.Ignore.HasExceptions || excludes.HasExceptions)))
            return;
        if (!excluded)
            Add(hash, Describe(context, path, relative, entry));
        if (entry.Kind == ContextEntryKind.Directory)
            foreach (string name in context.List(path))
                Walk(context, hash, BuildContext.Join(path, name), relative.Length == 0 ? name : relative + "/" + name, excludes);
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
        int fd = context.OpenInRoot(path, LibC.O_RDONLY | LibC.O_NOFOLLOW);
        using var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void Add(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
}
