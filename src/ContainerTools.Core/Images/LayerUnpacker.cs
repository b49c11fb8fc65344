using System.Formats.Tar;
using System.Text;
using ContainerTools.Core.Isolation;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Images;

/// <summary>
/// Applies one layer tar to an empty directory the way overlayfs reads it: ".wh.name" becomes a 0/0 character
/// device, ".wh..wh..opq" the opaque xattr on its directory; modes, owners, times, xattrs, hard links, symlinks
/// and device nodes are kept. Every path is resolved beneath the directory; an entry that tries to leave it
/// (absolute or ".." names, writing through a symlink to outside, a hard link to outside, a whiteout of "..")
/// is refused with a SecurityError.
/// </summary>
public sealed class LayerUnpacker : IDisposable
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    // AUFS kept its own metadata at the top of a layer (old Docker Hub layers still carry it): ".wh..wh.aufs",
    // ".wh..wh.orph/", and ".wh..wh.plnk/", whose files may be hard link targets.
    private const string AufsMetaPrefix = ".wh..wh.";
    private const string AufsLinkDirectory = ".wh..wh.plnk";
    private const int O_DIR_PATH = Linux.O_PATH | Linux.O_DIRECTORY;
    private const uint SetIdBits = 0xe00; // set-uid, set-gid, sticky: chown clears the first two, so they are set after it

    private readonly RootedPath _root;
    private readonly string _layer;
    private readonly List<(string Parent, string Name, DateTimeOffset Time)> _directoryTimes = [];
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly uint _umask = ProcessUmask();
    // Who owns what this thread creates: the owner a new file gets unless its parent directory is set-gid.
    private readonly int _creatorUid = Linux.setfsuid(-1);
    private readonly int _creatorGid = Linux.setfsgid(-1);
    private readonly NewNodes _rootNewNodes;
    private string? _cachedParent;
    private SafeFileHandle? _cachedParentHandle;
    private NewNodes _cachedParentNewNodes;
    private NewNodes _newNodes; // what a node created in the parent of the current entry gets

    private LayerUnpacker(string directory, string layer)
    {
        _root = RootedPath.Open(directory);
        _layer = layer;
        _rootNewNodes = NewNodesIn(_root.Descriptor, directory);
    }

    /// <summary>The sum of the regular files' sizes written.</summary>
    public long Size { get; private set; }

    /// <summary>Unpacks the uncompressed tar <paramref name="tar"/> into <paramref name="directory"/> (which exists); returns the content size.</summary>
    public static long Unpack(Stream tar, string directory, string layer)
    {
        using var unpacker = new LayerUnpacker(directory, layer);
        try
        {
            unpacker.ApplyAll(tar);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ZstdSharp.ZstdException
                                      || e is ArgumentException && e.Source == "System.Formats.Tar")
        {
            throw new EngineException("CorruptLayer", ErrorKind.InvalidData, layer, $"Layer {layer} is not a readable tar archive: {e.Message}", e);
        }
        return unpacker.Size;
    }

    private void ApplyAll(Stream tar)
    {
        using var reader = new TarReader(tar, leaveOpen: true);
        while (reader.NextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                continue;
            try
            {
                Apply(entry);
            }
            catch (NativeCallException e) when (e.Errno is Errno.ENAMETOOLONG or Errno.ELOOP)
            {
                // The layer's names, not the host: longer than Linux allows, or through a loop of its own symlinks.
                throw new EngineException("InvalidLayerEntry", ErrorKind.InvalidData, _layer,
                    $"Layer {_layer}: entry '{entry.Name}' cannot be made: {e.Message}", e);
            }
        }
        RemoveAufsLinkDirectory();
        SetDirectoryTimes();
    }

    /// <summary>
    /// AUFS metadata is not part of the image (Docker skips it); only the files of its link directory are unpacked,
    /// so that hard links to them resolve, and the directory goes at the end: the files live on under their links.
    /// </summary>
    private bool IsAufsMetadata(string path, TarEntry entry) =>
        path.StartsWith(AufsMetaPrefix, StringComparison.Ordinal) && path != OpaqueMarker
        && !(path.StartsWith(AufsLinkDirectory + "/", StringComparison.Ordinal) && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile);

    private void RemoveAufsLinkDirectory()
    {
        ForgetCachedParent();
        if (Linux.unlinkat(_root.Descriptor, AufsLinkDirectory, Linux.AT_REMOVEDIR) == 0 || Errno.Last == Errno.ENOENT)
            return;
        Directory.Delete($"/proc/self/fd/{_root.Descriptor}/{AufsLinkDirectory}", recursive: true);
    }

    /// <summary>
    /// Directory times go last (writing a directory's entries changes them), grouped by parent so that one
    /// descriptor serves all of a directory's subdirectories; the sort is stable, so a directory listed twice
    /// still gets its last entry's time.
    /// </summary>
    private void SetDirectoryTimes()
    {
        SafeFileHandle? parentHandle = null;
        string? parentPath = null;
        try
        {
            foreach (var (parent, name, time) in _directoryTimes.OrderBy(d => d.Parent, StringComparer.Ordinal))
            {
                if (parent != parentPath)
                {
                    parentHandle?.Dispose();
                    parentHandle = _root.OpenBeneath(parent, O_DIR_PATH);
                    parentPath = parent;
                }
                SetTime(Fd(parentHandle!), name, time);
            }
        }
        finally
        {
            parentHandle?.Dispose();
        }
    }

    private void Apply(TarEntry entry)
    {
        var sparse = entry.EntryType is TarEntryType.RegularFile ? PaxSparseFile.Of(entry, _layer) : null;
        string path = EntryPath(sparse?.Name ?? entry.Name, entry.Name, "name");
        if (path.Length == 0 || IsAufsMetadata(path, entry))
            return; // the layer root itself: its directory is ours
        int slash = path.LastIndexOf('/');
        string parentPath = slash < 0 ? "" : path[..slash];
        string name = path[(slash + 1)..];

        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            ApplyWhiteout(parentPath, name, entry);
            return;
        }
        int parent = Parent(parentPath, entry);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                MakeDirectory(parent, path, name, entry);
                _directoryTimes.Add((parentPath, name, entry.ModificationTime));
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                WriteFile(parent, path, name, entry, sparse);
                break;
            case TarEntryType.SymbolicLink:
                CreateReplacing(parent, path, name, () => Linux.symlinkat(entry.LinkName, parent, name), "symlinkat");
                if (!OwnedAsCreated(entry))
                    SetOwner(parent, name, entry);
                SetTime(parent, name, entry.ModificationTime);
                break;
            case TarEntryType.HardLink:
                Link(parent, path, name, entry);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                uint type = entry.EntryType switch
                {
                    TarEntryType.CharacterDevice => Linux.S_IFCHR,
                    TarEntryType.BlockDevice => Linux.S_IFBLK,
                    _ => Linux.S_IFIFO,
                };
                ulong device = type == Linux.S_IFIFO ? 0 : Linux.MakeDevice((uint)((PosixTarEntry)entry).DeviceMajor, (uint)((PosixTarEntry)entry).DeviceMinor);
                CreateReplacing(parent, path, name, () => Linux.mknodat(parent, name, type | Mode(entry), device), "mknodat");
                SetOwner(parent, name, entry);
                Errno.Check(Linux.fchmodat(parent, name, Mode(entry), 0), "fchmodat", path);
                SetNodeXattrs(parent, name, entry);
                SetTime(parent, name, entry.ModificationTime);
                break;
            default:
                throw new EngineException("UnsupportedLayerEntry", ErrorKind.InvalidData, _layer,
                    $"Layer {_layer}: entry '{entry.Name}' has a type ({entry.EntryType}) that a layer cannot hold.");
        }
    }

    private void ApplyWhiteout(string parentPath, string name, TarEntry entry)
    {
        int parent = Parent(parentPath, entry);
        if (name == OpaqueMarker)
        {
            using var directory = Checked(Linux.openat(parent, ".", Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0), "openat", parentPath);
            SetXattr(Fd(directory), parentPath, "trusted.overlay.opaque", "y"u8);
            return;
        }
        string hidden = name[WhiteoutPrefix.Length..];
        if (hidden is "" or "." or ".." || hidden.Contains('/'))
            throw Escape(entry.Name, "a whiteout of '" + hidden + "'");
        string path = parentPath.Length == 0 ? hidden : parentPath + "/" + hidden;
        CreateReplacing(parent, path, hidden, () => Linux.mknodat(parent, hidden, Linux.S_IFCHR, 0), "mknodat");
    }

    /// <summary>
    /// A directory created with its mode; opened for chown, chmod and xattrs only when creation could not give them
    /// (another owner, set-id bits or bits the umask takes, a set-gid parent, xattrs) or an earlier entry made it.
    /// </summary>
    private void MakeDirectory(int parent, string path, string name, TarEntry entry)
    {
        if (_cachedParent == path)
            ForgetCachedParent(); // its mode (set-gid: the group of new files) may change now
        uint mode = Mode(entry);
        bool created = Linux.mkdirat(parent, name, mode & 0x1ff) == 0;
        if (!created)
        {
            if (Errno.Last != Errno.EEXIST)
                throw new NativeCallException("mkdirat", path, Errno.Last);
            int existing = Linux.openat(parent, name, Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0);
            if (existing == -1)
            {
                Replace(parent, path, name); // a file or link of an earlier entry: a directory replaces it
                Errno.Check(Linux.mkdirat(parent, name, mode & 0x1ff), "mkdirat", path);
                created = true;
            }
            else
            {
                Linux.close(existing);
            }
        }
        bool hasXattrs = Xattrs(entry).Any();
        bool modeAsCreated = created && !_newNodes.SetGid && (mode & (SetIdBits | _umask)) == 0;
        if (created && OwnedAsCreated(entry) && modeAsCreated && !hasXattrs)
            return;
        using var directory = Checked(Linux.openat(parent, name, Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0), "openat", path);
        int fd = Fd(directory);
        if (!created || !OwnedAsCreated(entry))
            Errno.Check(Linux.fchown(fd, entry.Uid, entry.Gid), "fchown", path);
        if (!modeAsCreated)
            Errno.Check(Linux.fchmod(fd, mode), "fchmod", path);
        SetXattrs(fd, path, entry);
    }

    /// <summary>
    /// A regular file in as few calls as the entry allows: created with its mode, data written straight from one
    /// buffer (one write for a small file), chown and chmod only when creation could not give the owner or mode,
    /// times set through the open descriptor.
    /// </summary>
    private void WriteFile(int parent, string path, string name, TarEntry entry, PaxSparseFile? sparse)
    {
        uint mode = Mode(entry);
        using var file = new SafeFileHandle(CreateReplacing(parent, path, name,
            () => Linux.openat(parent, name, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, mode & 0x1ff), "openat"), ownsHandle: true);
        int fd = Fd(file);
        if (sparse is not null)
            WriteSparse(fd, entry.DataStream ?? Stream.Null, sparse, path);
        else if (entry.DataStream is { } data)
            WriteData(fd, data, path);
        if (!OwnedAsCreated(entry))
            Errno.Check(Linux.fchown(fd, entry.Uid, entry.Gid), "fchown", path);
        if ((mode & (SetIdBits | _umask)) != 0)
            Errno.Check(Linux.fchmod(fd, mode), "fchmod", path); // after chown, which clears set-id bits
        SetXattrs(fd, path, entry);
        var time = Timespec(entry.ModificationTime);
        Linux.SetTimes(fd, time, time, path);
        Size += sparse?.Size ?? entry.Length;
    }

    private void WriteData(int fd, Stream data, string path)
    {
        int n;
        while ((n = data.Read(_buffer)) > 0)
            Linux.WriteAll(fd, _buffer.AsSpan(0, n), path);
    }

    /// <summary>A sparse file's segments at their offsets; the holes between them stay holes.</summary>
    private void WriteSparse(int fd, Stream data, PaxSparseFile sparse, string path)
    {
        Errno.Check(Linux.ftruncate(fd, sparse.Size), "ftruncate", path);
        foreach (var (offset, length) in sparse.Segments)
        {
            if (Linux.lseek(fd, offset, Linux.SEEK_SET) == -1)
                throw new NativeCallException("lseek", path, Errno.Last);
            for (long left = length; left > 0;)
            {
                int n = data.Read(_buffer, 0, (int)Math.Min(left, _buffer.Length));
                if (n == 0)
                    throw new EndOfStreamException($"The data of '{path}' ends before its sparse map does.");
                Linux.WriteAll(fd, _buffer.AsSpan(0, n), path);
                left -= n;
            }
        }
    }

    /// <summary>Whether a node this thread creates in the current parent already has the entry's owner.</summary>
    private bool OwnedAsCreated(TarEntry entry) => entry.Uid == _creatorUid && entry.Gid == _newNodes.Gid;

    /// <summary>Creates a node by <paramref name="create"/> (see <see cref="TryCreateReplacing"/>); returns the call's result (a descriptor).</summary>
    private int CreateReplacing(int parent, string path, string name, Func<int> create, string call) =>
        Errno.Check(TryCreateReplacing(parent, path, name, create), call, path);

    /// <summary>
    /// Creates a node by <paramref name="create"/>; only when the name is taken (an earlier entry of the layer) is
    /// that removed and the creation tried again: no unlink per entry. Returns the call's result, -1 with errno set.
    /// </summary>
    private int TryCreateReplacing(int parent, string path, string name, Func<int> create)
    {
        int result = create();
        if (result == -1 && Errno.Last == Errno.EEXIST)
        {
            Replace(parent, path, name);
            result = create();
        }
        return result;
    }

    private void Link(int parent, string path, string name, TarEntry entry)
    {
        string target = EntryPath(entry.LinkName, entry.Name, "hard link target");
        int slash = target.LastIndexOf('/');
        string targetParent = slash < 0 ? "" : target[..slash];
        using var targetDirectory = targetParent.Length == 0 ? null : TryParent(targetParent, entry) ?? throw InvalidHardLink(entry, "which the layer does not hold");
        int targetFd = targetDirectory is null ? _root.Descriptor : Fd(targetDirectory);
        string targetName = target[(slash + 1)..];
        if (TryCreateReplacing(parent, path, name, () => Linux.linkat(targetFd, targetName, parent, name, 0)) == -1)
        {
            throw Errno.Last switch
            {
                Errno.ENOENT => InvalidHardLink(entry, "which the layer does not hold"),
                Errno.EPERM => InvalidHardLink(entry, "which is a directory"), // root may link anything else
                int errno => (Exception)new NativeCallException("linkat", path, errno),
            };
        }
    }

    private EngineException InvalidHardLink(TarEntry entry, string why) =>
        new("InvalidHardLink", ErrorKind.InvalidData, _layer, $"Layer {_layer}: hard link '{entry.Name}' names '{entry.LinkName}', {why}.");

    /// <summary>Removes whatever an earlier entry left at <paramref name="path"/>, so the new entry replaces it.</summary>
    private void Replace(int parent, string path, string name)
    {
        if (_cachedParent is not null && IsAtOrUnder(_cachedParent, path))
            ForgetCachedParent();
        if (Linux.unlinkat(parent, name, 0) == 0 || Errno.Last == Errno.ENOENT)
            return;
        if (Errno.Last != Errno.EISDIR)
            throw new NativeCallException("unlinkat", path, Errno.Last);
        // A directory: delete its tree through the parent descriptor (the magic link pins the real directory, and
        // Directory.Delete never follows symlinks inside it). The times of it and of directories in it go too: set
        // later, they would land on what replaced it, or fail on a path that is gone.
        Directory.Delete($"/proc/self/fd/{parent}/{name}", recursive: true);
        _directoryTimes.RemoveAll(d => IsAtOrUnder(d.Parent.Length == 0 ? d.Name : d.Parent + "/" + d.Name, path));
    }

    /// <summary>The directory an entry goes into, created (0755, root-owned, as Docker does) when the layer lists it later or never.</summary>
    private int Parent(string parentPath, TarEntry entry)
    {
        if (parentPath.Length == 0)
        {
            _newNodes = _rootNewNodes;
            return _root.Descriptor;
        }
        if (_cachedParent != parentPath)
        {
            ForgetCachedParent();
            var handle = TryParent(parentPath, entry) ?? CreateParents(parentPath, entry);
            _cachedParent = parentPath;
            _cachedParentHandle = handle;
            _cachedParentNewNodes = NewNodesIn(Fd(handle), parentPath);
        }
        _newNodes = _cachedParentNewNodes;
        return Fd(_cachedParentHandle!);
    }

    /// <summary>What a node created in directory <paramref name="fd"/> gets: the directory's group and, a directory, its set-gid bit when it is set-gid.</summary>
    private NewNodes NewNodesIn(int fd, string path)
    {
        var status = Linux.Status(fd, path);
        return (status.Mode & Linux.S_ISGID) != 0 ? new NewNodes((int)status.Gid, SetGid: true) : new NewNodes(_creatorGid, SetGid: false);
    }

    /// <summary>The group a node created in a directory gets, and whether that directory is set-gid (new subdirectories inherit the bit).</summary>
    private readonly record struct NewNodes(int Gid, bool SetGid);

    private SafeFileHandle? TryParent(string parentPath, TarEntry entry)
    {
        try
        {
            return _root.TryOpenBeneath(parentPath, O_DIR_PATH);
        }
        catch (EngineException e) when (e.ErrorId == "PathEscapesRoot")
        {
            throw Escape(entry.Name, "a path through a link that leads outside the layer");
        }
        catch (NativeCallException e) when (e.Errno == Errno.ENOTDIR)
        {
            throw new EngineException("InvalidLayerEntry", ErrorKind.InvalidData, _layer,
                $"Layer {_layer}: entry '{entry.Name}' is inside '{parentPath}', which is not a directory.");
        }
    }

    private SafeFileHandle CreateParents(string parentPath, TarEntry entry)
    {
        string[] parts = parentPath.Split('/');
        SafeFileHandle? current = null;
        try
        {
            for (int i = 0; i < parts.Length; i++)
            {
                string prefix = string.Join('/', parts, 0, i + 1);
                var next = TryParent(prefix, entry);
                if (next is null)
                {
                    int at = current is null ? _root.Descriptor : Fd(current);
                    if (Linux.mkdirat(at, parts[i], 0x1ed) == -1 && Errno.Last != Errno.EEXIST)
                        throw new NativeCallException("mkdirat", prefix, Errno.Last);
                    next = TryParent(prefix, entry) ?? throw new NativeCallException("openat2", prefix, Errno.ENOENT);
                }
                current?.Dispose();
                current = next;
            }
            return current!;
        }
        catch
        {
            current?.Dispose();
            throw;
        }
    }

    private static bool IsAtOrUnder(string path, string directory) =>
        path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

    private void ForgetCachedParent()
    {
        _cachedParentHandle?.Dispose();
        _cachedParentHandle = null;
        _cachedParent = null;
    }

    /// <summary>A tar name made relative and checked: absolute names and ".." components are attacks, not paths.</summary>
    private string EntryPath(string raw, string entryName, string what)
    {
        if (raw.StartsWith('/'))
            throw Escape(entryName, $"an absolute {what}");
        var parts = new List<string>();
        foreach (string part in raw.Split('/'))
        {
            if (part is "" or ".")
                continue;
            if (part == ".." || part.Contains('\0'))
                throw Escape(entryName, $"a {what} with '..'");
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private EngineException Escape(string entryName, string how) =>
        new("LayerEntryEscapesRoot", ErrorKind.SecurityError, entryName,
            $"Layer {_layer}: entry '{entryName}' tries to leave the layer root ({how}).");

    private static void SetOwner(int parent, string name, TarEntry entry) =>
        Errno.Check(Linux.fchownat(parent, name, entry.Uid, entry.Gid, Linux.AT_SYMLINK_NOFOLLOW), "fchownat", name);

    private static Linux.Timespec Timespec(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var spec = new Linux.Timespec { Seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest), Nanoseconds = rest * 100 };
        if (spec.Nanoseconds < 0)
        {
            spec.Seconds -= 1;
            spec.Nanoseconds += 1_000_000_000;
        }
        return spec;
    }

    private static unsafe void SetTime(int parent, string name, DateTimeOffset time)
    {
        var spec = Timespec(time);
        Linux.Timespec* times = stackalloc Linux.Timespec[2];
        times[0] = spec;
        times[1] = spec;
        Errno.Check(Linux.utimensat(parent, name, times, Linux.AT_SYMLINK_NOFOLLOW), "utimensat", name);
    }

    /// <summary>PAX xattrs: SCHILY.xattr.* (GNU tar, Go's archive/tar) and base64 LIBARCHIVE.xattr.* (bsdtar).</summary>
    private static IEnumerable<(string Name, byte[] Value)> Xattrs(TarEntry entry)
    {
        if (entry is not PaxTarEntry pax)
            yield break;
        foreach (var (key, value) in pax.ExtendedAttributes)
        {
            if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                yield return (key["SCHILY.xattr.".Length..], Encoding.UTF8.GetBytes(value));
            else if (key.StartsWith("LIBARCHIVE.xattr.", StringComparison.Ordinal))
                yield return (Uri.UnescapeDataString(key["LIBARCHIVE.xattr.".Length..]), Convert.FromBase64String(value));
        }
    }

    private static void SetXattrs(int fd, string path, TarEntry entry)
    {
        foreach (var (name, value) in Xattrs(entry))
            SkippingUnsupported(() => SetXattr(fd, path, name, value));
    }

    private static void SetNodeXattrs(int parent, string name, TarEntry entry)
    {
        foreach (var (xattr, value) in Xattrs(entry))
            SkippingUnsupported(() => SetLinkXattr($"/proc/self/fd/{parent}/{name}", xattr, value));
    }

    /// <summary>
    /// An xattr the file system cannot hold (a namespace Linux lacks: macOS's com.apple.*, which tarballs made with
    /// bsdtar on a Mac carry) is left out, as containerd and Docker leave it out, rather than failing the layer.
    /// </summary>
    private static void SkippingUnsupported(Action setXattr)
    {
        try
        {
            setXattr();
        }
        catch (NativeCallException e) when (e.Errno == Errno.EOPNOTSUPP)
        {
        }
    }

    private static unsafe void SetXattr(int fd, string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
            Errno.Check(Linux.fsetxattr(fd, name, p, (nuint)value.Length, 0), "fsetxattr " + name, path);
    }

    private static unsafe void SetLinkXattr(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
            Errno.Check(Linux.lsetxattr(path, name, p, (nuint)value.Length, 0), "lsetxattr " + name, path);
    }

    /// <summary>The process's umask, which takes bits from the mode a file is created with (read, not set: umask() would change it for every thread).</summary>
    private static uint ProcessUmask()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Umask:", StringComparison.Ordinal))
                return Convert.ToUInt32(line["Umask:".Length..].Trim(), 8);
        }
        return 0x1ff; // unknown: every mode is set explicitly
    }

    private static uint Mode(TarEntry entry) => (uint)entry.Mode & 0xfff;

    private static int Fd(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    private static SafeFileHandle Checked(int fd, string call, string path) =>
        new(Errno.Check(fd, call, path), ownsHandle: true);

    public void Dispose()
    {
        ForgetCachedParent();
        _root.Dispose();
    }
}
