using System.Text;
using ContainerTools.Core.Native;
using Tmds.Linux;

namespace ContainerTools.Core.Build.Context;

/// <summary>
/// The directory a build copies from, held open as a descriptor. Every path is resolved inside it with
/// openat2(RESOLVE_IN_ROOT), so neither "..", nor a symlink (absolute or relative) can reach a file outside;
/// files the .dockerignore excludes do not exist for COPY and ADD.
/// </summary>
public sealed unsafe class BuildContext : IDisposable
{
    private int _root;

    private BuildContext(string directory, int root, DockerIgnore ignore)
    {
        Directory = directory;
        _root = root;
        Ignore = ignore;
    }

    public string Directory { get; }
    public DockerIgnore Ignore { get; }

    public static BuildContext Open(string directory, DockerIgnore ignore)
    {
        string full = System.IO.Path.GetFullPath(directory);
        int fd;
        fixed (byte* p = Encoding.UTF8.GetBytes(full + "\0"))
            fd = LibC.open(p, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        if (fd < 0)
            throw Errno.Last is Errno.ENOENT or Errno.ENOTDIR
                ? new EngineException("BuildContextNotFound", ErrorKind.NotFound, directory, $"the build context {directory} is not a directory")
                : new NativeCallException("open", full, Errno.Last);
        return new BuildContext(full, fd, ignore);
    }

    /// <summary>
    /// The context paths a COPY/ADD source names ('/'-separated, relative, "." for the whole context): the
    /// path itself, or every match when it has wildcards. <paramref name="where"/> prefixes messages
    /// ("Dockerfile line 4").
    /// </summary>
    public IReadOnlyList<string> Expand(string source, string where)
    {
        string[] parts = Relative(source, where);
        var matches = new List<string>();
        try
        {
            Expand(parts, 0, "", matches);
        }
        catch (FormatException e)
        {
            throw new EngineException("BuildInvalidPattern", ErrorKind.InvalidArgument, source, $"{where}: {e.Message}");
        }
        if (matches.Count == 0)
            throw new EngineException("BuildSourceNotFound", ErrorKind.NotFound, source,
                $"{where}: \"{source}\" not found in the build context or excluded by {DockerIgnore.FileName}");
        return matches;
    }

    private void Expand(string[] parts, int index, string prefix, List<string> matches)
    {
        if (index == parts.Length)
        {
            string path = prefix.Length == 0 ? "." : prefix;
            if ((path == "." || !Ignore.IsExcluded(path)) && Stat(path) is { } entry && (entry.Kind != ContextEntryKind.Symlink || Resolves(path)))
                matches.Add(path);
            return;
        }
        string part = parts[index];
        if (!GlobSyntax.HasWildcards(part))
        {
            Expand(parts, index + 1, Join(prefix, part), matches);
            return;
        }
        var glob = GlobSyntax.ToRegex(part, doubleStar: false);
        string directory = prefix.Length == 0 ? "." : prefix;
        if (Stat(directory)?.Kind != ContextEntryKind.Directory)
            return;
        foreach (string name in List(directory).Where(n => glob.IsMatch(n)))
            Expand(parts, index + 1, Join(prefix, name), matches);
    }

    /// <summary>
    /// Every entry a COPY of <paramref name="source"/> takes, parents before children, names in order: the
    /// source itself (a symlink source is followed, inside the context, as BuildKit does), then what is below
    /// it, without what .dockerignore or <paramref name="excludes"/> (relative to the source) leave out.
    /// <c>Relative</c> is the path below the source ("" for the source itself).
    /// </summary>
    public IEnumerable<(string Path, string Relative, ContextEntry Entry)> Walk(string source, DockerIgnore excludes) =>
        Walk(FollowLink(source), "", excludes);

    private IEnumerable<(string, string, ContextEntry)> Walk(string path, string relative, DockerIgnore excludes)
    {
        ContextEntry entry = Stat(path) ?? throw new FileNotFoundException($"{path} vanished from the build context");
        bool excluded = (path != "." && Ignore.IsExcluded(path)) || (relative.Length > 0 && excludes.IsExcluded(relative));
        if (excluded && (entry.Kind != ContextEntryKind.Directory || !(Ignore.HasExceptions || excludes.HasExceptions)))
            yield break;
        if (!excluded)
            yield return (path, relative, entry);
        if (entry.Kind != ContextEntryKind.Directory)
            yield break;
        foreach (string name in List(path))
            foreach (var child in Walk(Join(path, name), relative.Length == 0 ? name : relative + "/" + name, excludes))
                yield return child;
    }

    /// <summary>Where a symlink in the context leads, resolved inside it; other paths as they are.</summary>
    public string FollowLink(string path)
    {
        if (Stat(path)?.Kind != ContextEntryKind.Symlink)
            return path;
        int fd = OpenInRoot(path, LibC.O_PATH);
        try
        {
            string target = System.IO.Path.GetRelativePath(Directory, new FileInfo($"/proc/self/fd/{fd}").LinkTarget!);
            return target == "." ? "." : target.Replace(System.IO.Path.DirectorySeparatorChar, '/');
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>
    /// Whether a symlink source leads somewhere inside the context: a COPY follows it, so one that dangles (or
    /// points outside, which inside the context is the same) names nothing, as BuildKit finds.
    /// </summary>
    private bool Resolves(string path)
    {
        int fd = OpenInRoot(path, LibC.O_PATH, allowMissing: true);
        if (fd >= 0)
            LibC.close(fd);
        return fd >= 0;
    }

    /// <summary>Opens a regular file of the context for reading.</summary>
    public FileStream OpenRead(string path) =>
        new(new Microsoft.Win32.SafeHandles.SafeFileHandle(OpenInRoot(path, LibC.O_RDONLY | LibC.O_NOFOLLOW), ownsHandle: true), FileAccess.Read);

    /// <summary>The names in a context directory, sorted (ordinal), read through a descriptor opened inside the root.</summary>
    public IReadOnlyList<string> List(string directory)
    {
        int fd = OpenInRoot(directory, LibC.O_RDONLY | LibC.O_DIRECTORY);
        try
        {
            return System.IO.Directory.EnumerateFileSystemEntries($"/proc/self/fd/{fd}")
                .Select(e => System.IO.Path.GetFileName(e)).Order(StringComparer.Ordinal).ToList();
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>lstat of a context path resolved inside the root (its last component not followed); null when missing.</summary>
    public ContextEntry? Stat(string path)
    {
        string parent = Parent(path, out string name);
        int fd = OpenInRoot(parent, LibC.O_PATH | LibC.O_DIRECTORY, allowMissing: true);
        if (fd < 0)
            return null;
        try
        {
            stat result;
            fixed (byte* p = Encoding.UTF8.GetBytes(name + "\0"))
            {
                int rc = LibC.fstatat(fd, p, &result, LibC.AT_SYMLINK_NOFOLLOW | LibC.AT_EMPTY_PATH);
                if (rc == -1 && Errno.Last is Errno.ENOENT or Errno.ENOTDIR)
                    return null;
                Errno.Check(rc, "fstatat", path);
            }
            return ContextEntry.From(result);
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>
    /// Opens a context path with openat2(RESOLVE_IN_ROOT): symlinks are followed as if the context were "/".
    /// Returns -1 for a missing path (or a symlink loop) when <paramref name="allowMissing"/>. The caller closes the descriptor.
    /// </summary>
    public int OpenInRoot(string path, int flags, bool allowMissing = false)
    {
        var how = new open_how
        {
            flags = (ulong)(flags | LibC.O_CLOEXEC),
            resolve = (ulong)(LibC.RESOLVE_IN_ROOT | LibC.RESOLVE_NO_MAGICLINKS),
        };
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
        {
            int fd = (int)LibC.openat2(_root, p, &how, (size_t)sizeof(open_how));
            // ELOOP too: a symlink loop leads nowhere.
            if (fd == -1 && allowMissing && Errno.Last is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP)
                return -1;
            // A tree nested deeper than a path can name (PATH_MAX) is the input's limit, not a failure of ours.
            if (fd == -1 && Errno.Last == Errno.ENAMETOOLONG)
                throw new EngineException("BuildPathTooLong", ErrorKind.LimitsExceeded, path,
                    $"{System.IO.Path.Combine(Directory, path[..Math.Min(path.Length, 100)])}...: the path is longer than Linux allows ({path.Length} bytes)");
            return Errno.Check(fd, "openat2", System.IO.Path.Combine(Directory, path));
        }
    }

    /// <summary>The link target of a symlink in the context.</summary>
    public string ReadLink(string path)
    {
        string parent = Parent(path, out string name);
        int fd = OpenInRoot(parent, LibC.O_PATH | LibC.O_DIRECTORY);
        try
        {
            var buffer = new byte[4096];
            fixed (byte* n = Encoding.UTF8.GetBytes(name + "\0"))
            fixed (byte* b = buffer)
            {
                long length = Errno.Check((long)LibC.readlinkat(fd, n, b, (size_t)buffer.Length), "readlinkat", path);
                return Encoding.UTF8.GetString(buffer, 0, (int)length);
            }
        }
        finally
        {
            LibC.close(fd);
        }
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _root, -1);
        if (fd >= 0)
            LibC.close(fd);
    }

    public static string Join(string directory, string name) =>
        directory.Length == 0 || directory == "." ? name : directory + "/" + name;

    private static string Parent(string path, out string name)
    {
        int slash = path.LastIndexOf('/');
        name = slash < 0 ? path : path[(slash + 1)..];
        return slash < 0 ? "." : path[..slash];
    }

    /// <summary>A source's components below the context; "/" means the context itself, ".." may not leave it.</summary>
    private static string[] Relative(string source, string where)
    {
        var parts = new List<string>();
        foreach (string part in source.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count == 0)
                    throw new EngineException("BuildSourceOutsideContext", ErrorKind.InvalidArgument, source,
                        $"{where}: \"{source}\" is outside the build context");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return [.. parts];
    }
}
