using System.Formats.Tar;

namespace ContainerTools.Core.Build.Layers;

/// <summary>
/// Writes a layer tar (PAX) entry by entry with explicit metadata, so what lands in the layer is what the
/// build decided (owners, modes, whiteouts), not what the host file happens to carry.
/// </summary>
public sealed class LayerTarWriter : IDisposable
{
    public const string WhiteoutPrefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";

    private readonly TarWriter _writer;

    public LayerTarWriter(Stream output) => _writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);

    public void Directory(string name, uint mode, int uid, int gid, DateTimeOffset modified) =>
        Write(Entry(TarEntryType.Directory, name.TrimEnd('/') + "/", mode, uid, gid, modified));

    public void File(string name, uint mode, int uid, int gid, DateTimeOffset modified, Stream content)
    {
        var entry = Entry(TarEntryType.RegularFile, name, mode, uid, gid, modified);
        entry.DataStream = content;
        Write(entry);
    }

    public void Symlink(string name, string target, int uid, int gid, DateTimeOffset modified)
    {
        var entry = Entry(TarEntryType.SymbolicLink, name, 0x1FF, uid, gid, modified);
        entry.LinkName = target;
        Write(entry);
    }

    public void HardLink(string name, string target, int uid, int gid, DateTimeOffset modified)
    {
        var entry = Entry(TarEntryType.HardLink, name, 0x1A4, uid, gid, modified);
        entry.LinkName = target;
        Write(entry);
    }

    public void Special(TarEntryType type, string name, uint mode, int uid, int gid, DateTimeOffset modified, int major, int minor)
    {
        var entry = Entry(type, name, mode, uid, gid, modified);
        if (type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice)
        {
            entry.DeviceMajor = major;
            entry.DeviceMinor = minor;
        }
        Write(entry);
    }

    /// <summary>Marks <paramref name="name"/> deleted in this layer (an overlay whiteout).</summary>
    public void Whiteout(string name)
    {
        int slash = name.LastIndexOf('/');
        string path = slash < 0 ? WhiteoutPrefix + name : name[..(slash + 1)] + WhiteoutPrefix + name[(slash + 1)..];
        Write(Entry(TarEntryType.RegularFile, path, 0, 0, 0, DateTimeOffset.UnixEpoch));
    }

    /// <summary>Hides everything lower layers have below directory <paramref name="name"/> (an opaque directory).</summary>
    public void Opaque(string name) =>
        Write(Entry(TarEntryType.RegularFile, name.TrimEnd('/') + "/" + OpaqueMarker, 0, 0, 0, DateTimeOffset.UnixEpoch));

    /// <summary>How many entries were written: a layer of none is no layer at all.</summary>
    public int Count { get; private set; }

    public void Dispose() => _writer.Dispose();

    private void Write(PaxTarEntry entry)
    {
        _writer.WriteEntry(entry);
        Count++;
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, uint mode, int uid, int gid, DateTimeOffset modified) => new(type, name)
    {
        Mode = (UnixFileMode)(mode & 0xFFF),
        Uid = uid,
        Gid = gid,
        ModificationTime = modified,
    };
}
