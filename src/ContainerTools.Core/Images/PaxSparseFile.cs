using System.Formats.Tar;
using System.Globalization;

namespace ContainerTools.Core.Images;

/// <summary>
/// A sparse file as GNU tar writes it in PAX archives (tar --sparse --format=pax): the entry's name and data
/// are a stand-in ("GNUSparseFile.&lt;pid&gt;/name", only the data segments, back to back); the real name and size
/// are PAX attributes, and the map of segments is an attribute (format 0.1) or the start of the data (1.0).
/// Go's archive/tar (containerd, podman) reads these as the files they stand for, and so must we.
/// </summary>
public sealed class PaxSparseFile
{
    private const int BlockSize = 512;
    private const int MaxMapBytes = 1 << 20; // as Go's archive/tar bounds its sparse maps

    private PaxSparseFile(string name, long size, IReadOnlyList<(long Offset, long Length)> segments)
    {
        Name = name;
        Size = size;
        Segments = segments;
    }

    /// <summary>The file's real name.</summary>
    public string Name { get; }

    /// <summary>The file's real size, holes included.</summary>
    public long Size { get; }

    /// <summary>Where each data segment goes, in order.</summary>
    public IReadOnlyList<(long Offset, long Length)> Segments { get; }

    /// <summary>
    /// The sparse file a regular entry stands for, or null when it is an ordinary file. Format 1.0 reads the map
    /// from the start of <paramref name="entry"/>'s data, so that what remains of it is the segments.
    /// </summary>
    public static PaxSparseFile? Of(TarEntry entry, string layer)
    {
        if (entry is not PaxTarEntry pax || !pax.ExtendedAttributes.Keys.Any(k => k.StartsWith("GNU.sparse.", StringComparison.Ordinal)))
            return null;
        var attributes = pax.ExtendedAttributes;
        string version = attributes.GetValueOrDefault("GNU.sparse.major") + "." + attributes.GetValueOrDefault("GNU.sparse.minor");
        string name = attributes.GetValueOrDefault("GNU.sparse.name") ?? entry.Name;
        if (version == "1.0")
        {
            long size = Number(attributes.GetValueOrDefault("GNU.sparse.realsize"), entry, layer);
            var (segments, mapLength) = ReadMap(entry.DataStream ?? Stream.Null, entry, layer);
            return Checked(new PaxSparseFile(name, size, segments), entry.Length - mapLength, entry, layer);
        }
        if (attributes.GetValueOrDefault("GNU.sparse.map") is { } map)
        {
            // Format 0.1: "offset,length,offset,length,..." in one attribute.
            long size = Number(attributes.GetValueOrDefault("GNU.sparse.size"), entry, layer);
            long[] numbers = map.Length == 0 ? [] : map.Split(',').Select(n => Number(n, entry, layer)).ToArray();
            if (numbers.Length % 2 != 0)
                throw Corrupt(entry, layer, "its sparse map has an odd count of numbers");
            var segments = Enumerable.Range(0, numbers.Length / 2).Select(i => (numbers[2 * i], numbers[2 * i + 1])).ToList();
            return Checked(new PaxSparseFile(name, size, segments), entry.Length, entry, layer);
        }
        // Format 0.0 repeats its offset and length attributes, which a PAX reader keeps only the last of.
        throw new EngineException("UnsupportedLayerEntry", ErrorKind.InvalidData, layer,
            $"Layer {layer}: entry '{entry.Name}' is a sparse file in GNU tar's PAX format {(version == "." ? "0.0" : version)}, which cannot be read (1.0 and 0.1 can).");
    }

    /// <summary>Format 1.0's map: decimal numbers, one a line (the count, then offset and length of each segment), padded to whole blocks.</summary>
    private static (List<(long, long)> Segments, long Length) ReadMap(Stream data, TarEntry entry, string layer)
    {
        byte[] block = new byte[BlockSize];
        var numbers = new List<long>();
        long? wanted = null;
        long current = 0;
        int digits = 0;
        long length = 0;
        while (wanted is null || numbers.Count < wanted)
        {
            if (length >= MaxMapBytes)
                throw Corrupt(entry, layer, "its sparse map is larger than 1 MiB");
            data.ReadExactly(block);
            length += BlockSize;
            foreach (byte b in block)
            {
                if (numbers.Count == wanted)
                    break;
                if (b == '\n' && digits > 0)
                {
                    numbers.Add(current);
                    wanted ??= current <= MaxMapBytes ? 1 + 2 * current : throw Corrupt(entry, layer, "its sparse map is larger than 1 MiB");
                    (current, digits) = (0, 0);
                }
                else if (b is >= (byte)'0' and <= (byte)'9' && digits < 18)
                {
                    current = current * 10 + (b - '0');
                    digits++;
                }
                else
                {
                    throw Corrupt(entry, layer, "its sparse map is not a list of numbers");
                }
            }
        }
        var segments = Enumerable.Range(0, (numbers.Count - 1) / 2).Select(i => (numbers[1 + 2 * i], numbers[2 + 2 * i])).ToList();
        return (segments, length);
    }

    /// <summary>Segments in order, apart, inside the file, and exactly as long together as the data that holds them.</summary>
    private static PaxSparseFile Checked(PaxSparseFile file, long dataLength, TarEntry entry, string layer)
    {
        long end = 0, total = 0;
        foreach (var (offset, length) in file.Segments)
        {
            if (offset < end || length < 0 || offset > file.Size - length)
                throw Corrupt(entry, layer, "its sparse map has segments out of order or beyond the file's size");
            end = offset + length;
            total += length;
        }
        if (total != dataLength)
            throw Corrupt(entry, layer, $"its sparse map covers {total} bytes but the entry holds {dataLength}");
        return file;
    }

    private static long Number(string? text, TarEntry entry, string layer) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n
            : throw Corrupt(entry, layer, $"its sparse attribute '{text}' is not a size");

    private static EngineException Corrupt(TarEntry entry, string layer, string why) =>
        new("CorruptLayer", ErrorKind.InvalidData, layer, $"Layer {layer}: sparse file entry '{entry.Name}' is damaged: {why}.");
}
