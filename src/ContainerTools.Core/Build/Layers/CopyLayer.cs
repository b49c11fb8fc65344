using System.Formats.Tar;
using ContainerTools.Core.Build.Context;
using ContainerTools.Core.Images;

namespace ContainerTools.Core.Build.Layers;

/// <summary>
/// Writes the layer of a COPY or ADD with Docker's rules: a directory source copies its contents, a file
/// lands in the destination directory (a destination ending in '/', an existing directory, or any
/// destination of several sources) or becomes the destination; ADD unpacks a local tar archive (plain,
/// gzip or zstd) into the destination directory. The destination is resolved inside the image being built
/// (its symlinks followed inside it); every directory on the way is written, existing ones with their own
/// metadata, because overlayfs shows a directory as its topmost layer has it.
/// </summary>
public sealed class CopyLayer
{
    private const uint CreatedDirectoryMode = 0x1ED; // 0755
    private const int MaxSymlinks = 40; // the kernel's limit (ELOOP)

    private readonly LayerTarWriter _tar;
    private readonly BuildContext _target;
    private readonly Owner? _owner;
    private readonly int? _chmod;
    private readonly bool _keepOwners;
    private readonly string _where;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    /// <param name="target">The image being built, as it is before this step (for the destination and existing directories).</param>
    /// <param name="owner">The --chown owner; without it context files belong to root.</param>
    /// <param name="where">Prefixes messages ("Dockerfile line 4").</param>
    /// <param name="keepOwners">Without --chown, keep the owners the source gives its files: COPY --from a stage or image does, as BuildKit and buildah do.</param>
    public CopyLayer(LayerTarWriter tar, BuildContext target, Owner? owner, int? chmod, string where, bool keepOwners = false)
    {
        _tar = tar;
        _target = target;
        _owner = owner;
        _chmod = chmod;
        _keepOwners = keepOwners;
        _where = where;
    }

    /// <param name="destination">Absolute; a trailing '/' means "into this directory".</param>
    public void Copy(BuildContext source, IReadOnlyList<string> sources, string destination, DockerIgnore excludes, bool extractArchives)
    {
        string resolved = Resolve(destination);
        bool existingDirectory = _target.Stat(resolved.Length == 0 ? "." : resolved)?.Kind == ContextEntryKind.Directory;
        bool intoDirectory = destination.EndsWith('/') || existingDirectory || sources.Count > 1;
        if (sources.Count > 1 && !destination.EndsWith('/') && !existingDirectory)
            throw new EngineException("BuildCopyDestinationNotDirectory", ErrorKind.InvalidArgument, destination,
                $"{_where}: when copying more than one source the destination must be a directory and end with a /");
        foreach (string path in sources)
        {
            foreach (var (from, relative, entry) in source.Walk(path, excludes))
            {
                if (relative.Length == 0 && entry.Kind == ContextEntryKind.Directory)
                {
                    WriteDirectory(resolved, entry);
                    continue;
                }
                string baseName = from == "." ? "" : from[(from.LastIndexOf('/') + 1)..];
                if (relative.Length == 0 && extractArchives && entry.Kind == ContextEntryKind.Regular && TryExtract(source, from, resolved))
                    continue;
                string target = relative.Length > 0 ? Join(resolved, relative) : intoDirectory ? Join(resolved, baseName) : resolved;
                WriteEntry(source, from, target, entry);
            }
        }
    }

    /// <summary>WORKDIR: writes <paramref name="path"/> (and missing parents) unless it exists; false when nothing was needed.</summary>
    public bool CreateDirectory(string path)
    {
        string resolved = Resolve(path);
        if (resolved.Length == 0 || _target.Stat(resolved)?.Kind == ContextEntryKind.Directory)
            return false;
        EnsureParents(resolved + "/");
        return true;
    }

    /// <summary>
    /// Follows the destination's symlinks inside the image, as the kernel would from inside it: a link whose
    /// target is missing leads there too (the COPY creates it, as BuildKit and buildah do). Returns the path
    /// without a leading '/'.
    /// </summary>
    private string Resolve(string destination)
    {
        var resolved = new List<string>();
        var pending = new Stack<string>(destination.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        int links = 0;
        while (pending.TryPop(out string? part))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (resolved.Count > 0)
                    resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            string candidate = Join(string.Join('/', resolved), part);
            if (_target.Stat(candidate)?.Kind != ContextEntryKind.Symlink)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxSymlinks)
                throw new EngineException("BuildDestinationSymlinkLoop", ErrorKind.InvalidArgument, destination,
                    $"{_where}: the destination {destination} has too many levels of symbolic links in the image");
            string link = _target.ReadLink(candidate);
            if (link.StartsWith('/'))
                resolved.Clear();
            foreach (string linked in link.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                pending.Push(linked);
        }
        return string.Join('/', resolved);
    }

    private void WriteEntry(BuildContext source, string from, string target, ContextEntry entry)
    {
        EnsureParents(target);
        var (uid, gid) = OwnerOf(entry);
        uint mode = _chmod is { } chmod ? (uint)chmod : entry.Permissions;
        switch (entry.Kind)
        {
            case ContextEntryKind.Directory:
                WriteDirectory(target, entry);
                break;
            case ContextEntryKind.Regular:
                using (var content = source.OpenRead(from))
                    _tar.File(target, mode, uid, gid, entry.Modified, content);
                break;
            case ContextEntryKind.Symlink:
                _tar.Symlink(target, source.ReadLink(from), uid, gid, entry.Modified);
                break;
            case ContextEntryKind.Fifo:
                _tar.Special(TarEntryType.Fifo, target, mode, uid, gid, entry.Modified, 0, 0);
                break;
            default:
                break; // devices and sockets are not copied, as BuildKit skips them from a context
        }
        _written.Add(target);
    }

    private void WriteDirectory(string target, ContextEntry entry)
    {
        if (target.Length == 0)
            return;
        EnsureParents(target);
        CheckCanBeDirectory(target);
        var (uid, gid) = OwnerOf(entry);
        _tar.Directory(target, _chmod is { } chmod ? (uint)chmod : entry.Permissions, uid, gid, entry.Modified);
        _written.Add(target);
    }

    private (int Uid, int Gid) OwnerOf(ContextEntry entry) =>
        _owner is { } owner ? (owner.Uid, owner.Gid) : _keepOwners ? ((int)entry.Uid, (int)entry.Gid) : (0, 0);

    /// <summary>Writes every directory above <paramref name="target"/> once: as the image has it, or new (0755, the --chown owner).</summary>
    private void EnsureParents(string target)
    {
        int slash = -1;
        while ((slash = target.IndexOf('/', slash + 1)) > 0)
        {
            string directory = target[..slash];
            if (!_written.Add(directory))
                continue;
            if (CheckCanBeDirectory(directory) is { Kind: ContextEntryKind.Directory } existing)
                _tar.Directory(directory, existing.Permissions, (int)existing.Uid, (int)existing.Gid, existing.Modified);
            else
                _tar.Directory(directory, CreatedDirectoryMode, _owner?.Uid ?? 0, _owner?.Gid ?? 0, DateTimeOffset.UtcNow);
        }
    }

    /// <summary>
    /// What the image has where a directory is to be written: a directory, a symlink, or nothing. A file (or
    /// any other non-directory) is refused, as BuildKit and buildah refuse it, rather than replaced by a directory.
    /// </summary>
    private ContextEntry? CheckCanBeDirectory(string path)
    {
        ContextEntry? existing = _target.Stat(path);
        if (existing is { Kind: not (ContextEntryKind.Directory or ContextEntryKind.Symlink) })
            throw new EngineException("BuildDestinationNotDirectory", ErrorKind.InvalidArgument, "/" + path,
                $"{_where}: /{path} exists in the image and is not a directory");
        return existing;
    }

    /// <summary>ADD's archive rule: a local tar (plain, gzip, zstd) is unpacked into the destination; anything else is copied.</summary>
    private bool TryExtract(BuildContext source, string from, string destination)
    {
        using var file = source.OpenRead(from);
        var compression = LayerCompressions.Detect(file);
        file.Position = 0;
        using var tar = LayerCompressions.Decompress(file, compression);
        using var reader = new TarReader(tar, leaveOpen: true);
        TarEntry? first;
        try
        {
            first = reader.NextEntry();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            return false;
        }
        if (first is null)
            return false;
        if (destination.Length > 0)
            EnsureParents(destination + "/");
        try
        {
            for (var entry = first; entry is not null; entry = reader.NextEntry())
                WriteArchived(entry, destination);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or ZstdSharp.ZstdException)
        {
            // Its first entry made it an archive: what breaks later is a corrupt archive, not a file to copy as it is.
            throw new EngineException("BuildArchiveCorrupt", ErrorKind.InvalidData, from, $"{_where}: {from} is a corrupt archive: {e.Message}");
        }
        return true;
    }

    private void WriteArchived(TarEntry entry, string destination)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            return;
        string name = InsideArchive(entry.Name, entry.Name);
        if (name.Length == 0)
            return;
        string target = Join(destination, name);
        EnsureParents(target);
        int uid = _owner?.Uid ?? entry.Uid, gid = _owner?.Gid ?? entry.Gid;
        uint mode = (uint)entry.Mode;
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                _tar.Directory(target, mode, uid, gid, entry.ModificationTime);
                break;
            case TarEntryType.SymbolicLink:
                _tar.Symlink(target, entry.LinkName, uid, gid, entry.ModificationTime);
                break;
            case TarEntryType.HardLink:
                _tar.HardLink(target, Join(destination, InsideArchive(entry.LinkName, entry.Name)), uid, gid, entry.ModificationTime);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                _tar.File(target, mode, uid, gid, entry.ModificationTime, entry.DataStream ?? Stream.Null);
                break;
            case TarEntryType.Fifo or TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                _tar.Special(entry.EntryType, target, mode, uid, gid, entry.ModificationTime, entry is PosixTarEntry p ? p.DeviceMajor : 0, entry is PosixTarEntry q ? q.DeviceMinor : 0);
                break;
        }
        _written.Add(target);
    }

    /// <summary>
    /// An archive path ('/'-separated, a leading '/' meaning the archive's top) below the ADD's destination; an
    /// entry's name or a hard link's target with ".." is refused before anything is written.
    /// </summary>
    private string InsideArchive(string path, string entryName)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
            throw new EngineException("BuildArchiveEscape", ErrorKind.SecurityError, entryName,
                $"{_where}: ADD: archive entry '{entryName}'{(path == entryName ? "" : $" links to '{path}', which")} leaves its destination");
        return string.Join('/', parts);
    }

    private static string Join(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;
}
