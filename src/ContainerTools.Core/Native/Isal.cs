using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>
/// Intel's ISA-L (Debian's libisal2): its inflate decompresses a gzip layer in about half the CPU time of zlib on
/// this machine (bench/: pull, import), and a layer's decompression is the longest stage of a pull. Optional: where
/// the library is missing, <see cref="Available"/> is false and layers go through .NET's GZipStream.
/// </summary>
public static unsafe partial class Isal
{
    private const string Library = "libisal.so.2";

    /// <summary>
    /// The bytes the caller allocates for struct inflate_state: 87368 in libisal2 2.30 on 64-bit targets, with room for
    /// a larger one in another build of soname 2 (whose field offsets <see cref="IsalGzipStream.Usable"/> checks).
    /// </summary>
    public const int InflateStateRoom = 1 << 17;

    public const uint ISAL_GZIP = 1;
    public const int ISAL_BLOCK_FINISH = 5;
    public const int ISAL_INCORRECT_CHECKSUM = -6;

    /// <summary>The fields of struct inflate_state the caller reads and writes; the rest is the library's.</summary>
    [StructLayout(LayoutKind.Explicit)]
    public struct InflateState
    {
        [FieldOffset(0)] public byte* NextOut;
        [FieldOffset(8)] public uint AvailOut;
        [FieldOffset(16)] public byte* NextIn;
        [FieldOffset(32)] public uint AvailIn;
        [FieldOffset(21160)] public int BlockState;
        [FieldOffset(21172)] public uint CrcFlag;
    }

    private static readonly Lazy<bool> Loaded = new(() => NativeLibrary.TryLoad(Library, typeof(Isal).Assembly, null, out _));

    /// <summary>Whether libisal.so.2 can be loaded here.</summary>
    public static bool Available => Loaded.Value;

    [LibraryImport(Library)]
    public static partial void isal_inflate_init(InflateState* state);

    [LibraryImport(Library)]
    public static partial void isal_inflate_reset(InflateState* state);

    /// <summary>0 or a positive state when it stopped for input or output space; negative for bad data (ISAL_INVALID_*, ISAL_INCORRECT_CHECKSUM).</summary>
    [LibraryImport(Library)]
    public static partial int isal_inflate(InflateState* state);
}
