using System.Runtime.InteropServices;

namespace ContainerTools.Core.Native;

/// <summary>
/// ISA-L's igzip inflater (Debian's libisal2), two to three times zlib's speed on x86-64. Optional: present only
/// when the library loads, otherwise layers are inflated by .NET's zlib. The state is a C struct that callers
/// reach by offset (see <see cref="InflateState"/>).
/// </summary>
internal static unsafe partial class Isal
{
    private const string Library = "libisal.so.2";

    public const int ISAL_DECOMP_OK = 0;
    public const int ISAL_END_INPUT = 1;
    public const int ISAL_OUT_OVERFLOW = 2;
    public const int ISAL_GZIP = 1;
    public const int ISAL_BLOCK_FINISH = 5;

    /// <summary>Whether libisal.so.2 can be loaded.</summary>
    public static bool IsPresent { get; } = NativeLibrary.TryLoad(Library, typeof(Isal).Assembly, null, out _);

    [LibraryImport(Library)]
    public static partial void isal_inflate_init(byte* state);

    [LibraryImport(Library)]
    public static partial void isal_inflate_reset(byte* state);

    [LibraryImport(Library)]
    public static partial int isal_inflate(byte* state);
}

/// <summary>
/// Offsets into struct inflate_state of libisal.so.2 (isa-l 2.30 headers, x86-64). The first fields have kept their
/// place in every release; the later ones follow the Huffman tables, so <see cref="Images.IsalGzipStream"/> checks them
/// once on a known stream before it is trusted, and the state is allocated with room to spare.
/// </summary>
internal static class InflateState
{
    public const int Size = 87368;
    public const int AllocationSize = 2 * Size;
    public const int NextOut = 0;      // uint8_t*
    public const int AvailOut = 8;     // uint32_t
    public const int TotalOut = 12;    // uint32_t
    public const int NextIn = 16;      // uint8_t*
    public const int AvailIn = 32;     // uint32_t
    public const int BlockState = 21160; // enum isal_block_state
    public const int CrcFlag = 21172;  // uint32_t: ISAL_GZIP parses the header and checks the trailer
}
