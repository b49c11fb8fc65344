using System.Formats.Tar;
using System.IO.Compression;
using ContainerTools.Core.Native;
using ContainerTools.Core.Store;

namespace ContainerTools.Core.Images;

/// <summary>A layer blob written from a directory: its digest (gzip), diff ID (tar) and size.</summary>
public sealed record WrittenLayer(string Digest, string DiffId, long Size, string MediaType);

/// <summary>
/// Makes a layer from a directory: a plain root file system, or an overlay upper directory (a container's
/// changes), whose whiteouts (0/0 character devices) become ".wh." entries and whose opaque directories
/// (trusted.overlay.opaque=y) get ".wh..wh..opq". The inverse of <see cref="LayerUnpacker"/>; for builds and commits.
/// Entries are sorted and hard links kept, so the same tree gives the same diff ID.
/// </summary>
public static class LayerWriter
{
    /// <summary>Writes the gzip layer of <paramref name="directory"/> into the blob store and returns its digests.</summary>
    public static WrittenLayer WriteToStore(BlobStore blobs, string directory, string tempDirectory)
    {
        Directory.CreateDirectory(tempDirectory);
        string temp = Path.Combine(tempDirectory, AtomicFile.TempName());
        try
        {
            string diffId;
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using (var compressed = new HashingWriteStream(file, leaveOpen: true))
                using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
                using (var tar = new HashingWriteStream(gzip, leaveOpen: true))
                {
                    using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
                        WriteTree(writer, directory);
                    diffId = tar.Digest;
                }
                file.Flush(flushToDisk: true);
            }
            long size = new FileInfo(temp).Length;
            string digest = blobs.Adopt(temp);
            return new WrittenLayer(digest, diffId, size, Oci.MediaTypes.OciLayerGzip);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Writes every entry below <paramref name="root"/> (not the root itself), parents before children.</summary>
    public static void WriteTree(TarWriter writer, string root)
    {
        var links = new Dictionary<(ulong Device, ulong Inode), string>();
        Walk(writer, root, "", links);
    }

    private static void Walk(TarWriter writer, string root, string relative, Dictionary<(ulong, ulong), string> links)
    {
        string directory = relative.Length == 0 ? root : Path.Combine(root, relative);
        foreach (string name in Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!)
        {
            string path = relative.Length == 0 ? name! : relative + "/" + name;
            string full = Path.Combine(root, path);
            var stat = Linux.LStat(full);
            uint type = stat.Mode & Linux.S_IFMT;
            if (type == Linux.S_IFCHR && stat.RawDevice == 0)
            {
                writer.WriteEntry(Entry(TarEntryType.RegularFile, WhiteoutName(path), stat, modeOverride: 0));
                continue;
            }
            if (type == Linux.S_IFDIR)
            {
                writer.WriteEntry(Entry(TarEntryType.Directory, path + "/", stat));
                if (IsOpaque(full))
                    writer.WriteEntry(Entry(TarEntryType.RegularFile, path + "/.wh..wh..opq", stat, modeOverride: 0));
                Walk(writer, root, path, links);
                continue;
            }
            if (type == Linux.S_IFREG && stat.LinkCount > 1)
            {
                if (links.TryGetValue((stat.Device, stat.Inode), out string? first))
                {
                    var link = Entry(TarEntryType.HardLink, path, stat);
                    link.LinkName = first;
                    writer.WriteEntry(link);
                    continue;
                }
                links[(stat.Device, stat.Inode)] = path;
            }
            var entry = type switch
            {
                Linux.S_IFREG => Entry(TarEntryType.RegularFile, path, stat),
                Linux.S_IFLNK => Entry(TarEntryType.SymbolicLink, path, stat),
                Linux.S_IFCHR => Entry(TarEntryType.CharacterDevice, path, stat),
                Linux.S_IFBLK => Entry(TarEntryType.BlockDevice, path, stat),
                Linux.S_IFIFO => Entry(TarEntryType.Fifo, path, stat),
                _ => null, // sockets are not file-system content
            };
            if (entry is null)
                continue;
            if (type == Linux.S_IFLNK)
                entry.LinkName = new FileInfo(full).LinkTarget!;
            if (type is Linux.S_IFCHR or Linux.S_IFBLK)
            {
                entry.DeviceMajor = (int)stat.Major;
                entry.DeviceMinor = (int)stat.Minor;
            }
            if (type == Linux.S_IFREG)
            {
                using var data = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
                entry.DataStream = data;
                writer.WriteEntry(entry);
            }
            else
            {
                writer.WriteEntry(entry);
            }
        }
    }

    private static string WhiteoutName(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? ".wh." + path : path[..(slash + 1)] + ".wh." + path[(slash + 1)..];
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, Linux.Stat stat, uint? modeOverride = null) => new(type, name)
    {
        Mode = (UnixFileMode)(modeOverride ?? stat.Mode & 0xfff),
        Uid = (int)stat.Uid,
        Gid = (int)stat.Gid,
        ModificationTime = DateTimeOffset.FromUnixTimeSeconds(stat.ModificationTime.Seconds).AddTicks(stat.ModificationTime.Nanoseconds / 100),
    };

    private static unsafe bool IsOpaque(string directory)
    {
        byte value;
        return Linux.lgetxattr(directory, "trusted.overlay.opaque", &value, 1) == 1 && value == (byte)'y';
    }
}
