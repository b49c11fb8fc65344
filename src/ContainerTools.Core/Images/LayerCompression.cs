using System.IO.Compression;

namespace ContainerTools.Core.Images;

/// <summary>How a layer tar is compressed, told by its first bytes rather than trusted from a media type.</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}

public static class LayerCompressions
{
    /// <summary>Looks at the first bytes of a seekable stream and rewinds it.</summary>
    public static LayerCompression Detect(Stream seekable)
    {
        Span<byte> magic = stackalloc byte[4];
        long start = seekable.Position;
        int n = seekable.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        seekable.Position = start;
        if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            return LayerCompression.Gzip;
        if (n >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
            return LayerCompression.Zstd;
        // A zstd stream may open with a skippable frame (magic 0x184D2A50 to 0x184D2A5F), which decoders pass over.
        if (n >= 4 && (magic[0] & 0xf0) == 0x50 && magic[1] == 0x2a && magic[2] == 0x4d && magic[3] == 0x18)
            return LayerCompression.Zstd;
        return LayerCompression.None;
    }

    /// <summary>
    /// The uncompressed tar stream over <paramref name="compressed"/> (which it owns), told by its first bytes; for
    /// streams that cannot rewind too (a download), whose first bytes are read and served again.
    /// </summary>
    public static Stream Decompress(Stream compressed, out LayerCompression compression)
    {
        if (compressed.CanSeek)
        {
            compression = Detect(compressed);
            return Decompress(compressed, compression);
        }
        byte[] magic = new byte[4];
        int n = compressed.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        var rewound = new PrefixedStream(magic[..n], compressed);
        compression = Detect(new MemoryStream(magic, 0, n));
        return Decompress(rewound, compression);
    }

    /// <summary>The uncompressed tar stream over <paramref name="compressed"/> (which it owns).</summary>
    public static Stream Decompress(Stream compressed, LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip when IsalGzipStream.Usable => new IsalGzipStream(compressed),
        LayerCompression.Gzip => new GZipStream(compressed, CompressionMode.Decompress),
        LayerCompression.Zstd => new ZstdSharp.DecompressionStream(compressed),
        _ => compressed,
    };

    public static string OciMediaType(LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => Oci.MediaTypes.OciLayerGzip,
        LayerCompression.Zstd => Oci.MediaTypes.OciLayerZstd,
        _ => Oci.MediaTypes.OciLayer,
    };
}
