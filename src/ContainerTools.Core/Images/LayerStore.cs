using ContainerTools.Core.Store;

namespace ContainerTools.Core.Images;

/// <summary>
/// Layers unpacked once under layers/&lt;chainid-hex&gt;/diff and shared by every image and container. A layer
/// is unpacked into a temp directory beside them and renamed into place only when complete, so a directory
/// named by a chain ID is always whole; a killed unpack leaves only a temp that StaleTemps removes.
/// </summary>
public sealed class LayerStore
{
    private const string SizeFile = "size";

    public LayerStore(string layersDirectory) => Directory = layersDirectory;

    public string Directory { get; }

    /// <summary>The unpacked, complete directory of a layer (what overlay's lowerdir names).</summary>
    public string DiffDirectory(string chainId) => Path.Combine(Directory, Digest.Hex(chainId), "diff");

    public bool Has(string chainId) => System.IO.Directory.Exists(DiffDirectory(chainId));

    /// <summary>The bytes of regular files in the layer, recorded when it was unpacked (0 if unknown).</summary>
    public long ContentSize(string chainId) =>
        File.Exists(Path.Combine(Directory, Digest.Hex(chainId), SizeFile)) &&
        long.TryParse(File.ReadAllText(Path.Combine(Directory, Digest.Hex(chainId), SizeFile)), out long size) ? size : 0;

    /// <summary>
    /// Unpacks a layer blob into a new temp directory; returns it with the diff ID (digest of the uncompressed
    /// tar) computed while unpacking. Reads <paramref name="blob"/> to its end, so a tee over a download has all of
    /// it. Nothing is visible under a chain ID until <see cref="Commit"/>.
    /// </summary>
    public StagedLayer Stage(Stream blob, string layerName)
    {
        System.IO.Directory.CreateDirectory(Directory);
        TopDirectory.Mark(Directory);
        string temp = Path.Combine(Directory, AtomicFile.TempName());
        string diff = Path.Combine(temp, "diff");
        System.IO.Directory.CreateDirectory(diff);
        try
        {
            // Three threads: reading the blob (a download, hashed and stored on its way), decompressing and hashing the
            // tar (the diff ID), and writing its files. Writing thousands of files is the longest stage (mostly the
            // kernel's), so the diff ID's hash goes with the decompression (ISA-L's inflate leaves that thread room).
            using var compressed = new ReadAheadStream(blob, leaveOpen: true);
            var uncompressed = new DigestingStream(LayerCompressions.Decompress(compressed, out var compression));
            using var tar = new ReadAheadStream(uncompressed);
            long size = LayerUnpacker.Unpack(tar, diff, layerName);
            tar.CopyTo(Stream.Null); // the tar reader stops at the end marker; the diff ID covers the whole stream
            compressed.CopyTo(Stream.Null); // bytes after the compressed stream's end are part of the blob
            File.WriteAllText(Path.Combine(temp, SizeFile), size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return new StagedLayer(temp, uncompressed.Digest, size, compression); // read to its end on the read-ahead thread, which has stopped
        }
        catch
        {
            Discard(temp);
            throw;
        }
    }

    /// <summary>Makes a staged layer the layer of <paramref name="chainId"/>; if another process got there first, its copy stays.</summary>
    public void Commit(StagedLayer staged, string chainId)
    {
        string target = Path.Combine(Directory, Digest.Hex(chainId));
        if (!System.IO.Directory.Exists(target))
        {
            try
            {
                System.IO.Directory.Move(staged.Directory, target);
                AtomicFile.SyncDirectory(Directory);
                return;
            }
            catch (IOException) when (System.IO.Directory.Exists(target))
            {
                // lost a race with another importer of the same layer: theirs is complete too
            }
        }
        Discard(staged.Directory);
    }

    public void Discard(StagedLayer staged) => Discard(staged.Directory);

    /// <summary>Deletes a layer: first renamed to a temp name, so a crash mid-delete never leaves a partial layer under its chain ID.</summary>
    internal void Delete(string chainId)
    {
        string path = Path.Combine(Directory, Digest.Hex(chainId));
        if (!System.IO.Directory.Exists(path))
            return;
        string temp = Path.Combine(Directory, AtomicFile.TempName());
        System.IO.Directory.Move(path, temp);
        Discard(temp);
    }

    internal IEnumerable<string> All() => System.IO.Directory.Exists(Directory)
        ? System.IO.Directory.EnumerateDirectories(Directory).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Select(n => Digest.Sha256Prefix + n)
        : [];

    internal void RemoveStaleTemps() => StaleTemps.Remove(Directory);

    private static void Discard(string temp)
    {
        if (System.IO.Directory.Exists(temp))
            System.IO.Directory.Delete(temp, recursive: true);
    }
}

/// <summary>A layer unpacked into a temp directory, not yet visible under its chain ID.</summary>
public sealed record StagedLayer(string Directory, string DiffId, long Size, LayerCompression Compression);
