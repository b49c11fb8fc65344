using System.Runtime.InteropServices;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Images;

/// <summary>
/// Gzip decompression by ISA-L (libisal2), the layer inflater when the library is present: unpacking a pull spends
/// most of its CPU in inflate, and igzip does it in well under half of zlib's time. Reads like GZipStream:
/// concatenated members are one stream, bytes after the last member are left unread, and every member's CRC and
/// length are checked (by ISA-L). A corrupt or truncated stream throws <see cref="InvalidDataException"/>.
/// </summary>
public sealed unsafe class IsalGzipStream : ReadOnlyStream
{
    private const int InputSize = 1 << 17;

    // "isal", gzip -n: decompressed once to check that the state offsets fit the loaded library.
    private static ReadOnlySpan<byte> Probe => [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x2c, 0x4e, 0xcc,
                                                0x01, 0x00, 0x09, 0xc6, 0x3f, 0x09, 0x04, 0x00, 0x00, 0x00];

    private static readonly Lazy<bool> Usable = new(() => Isal.IsPresent && DecompressesProbe());

    private readonly Stream _source;
    private byte* _state;
    private byte* _input;
    private bool _sourceEnded;
    private bool _finished;

    /// <summary>Reads gzip from <paramref name="source"/>, which it owns. Only when <see cref="IsAvailable"/>.</summary>
    public IsalGzipStream(Stream source)
    {
        _source = source;
        _state = (byte*)NativeMemory.AllocZeroed(InflateState.AllocationSize);
        _input = (byte*)NativeMemory.Alloc(InputSize);
        Isal.isal_inflate_init(_state);
        Field<uint>(InflateState.CrcFlag) = Isal.ISAL_GZIP;
        Field<nint>(InflateState.NextIn) = (nint)_input;
    }

    ~IsalGzipStream() => Dispose(false);

    /// <summary>Whether libisal.so.2 is installed and inflates a known stream correctly.</summary>
    public static bool IsAvailable => Usable.Value;

    private ref T Field<T>(int offset) where T : unmanaged => ref *(T*)(_state + offset);

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _finished)
            return 0;
        fixed (byte* output = buffer)
        {
            while (true)
            {
                if (Field<uint>(InflateState.AvailIn) == 0 && !_sourceEnded)
                    Fill();
                Field<nint>(InflateState.NextOut) = (nint)output;
                Field<uint>(InflateState.AvailOut) = (uint)buffer.Length;
                uint input = Field<uint>(InflateState.AvailIn);
                int result = Isal.isal_inflate(_state);
                if (result < 0)
                    throw new InvalidDataException($"The gzip stream is corrupt (ISA-L inflate error {result}).");
                int produced = buffer.Length - (int)Field<uint>(InflateState.AvailOut);
                if (produced == 0 && input > 0 && Field<uint>(InflateState.AvailIn) == input && Field<int>(InflateState.BlockState) != Isal.ISAL_BLOCK_FINISH)
                    throw new InvalidDataException("The gzip stream makes no progress."); // never loop forever on input ISA-L will not take
                if (Field<int>(InflateState.BlockState) == Isal.ISAL_BLOCK_FINISH && !StartNextMember())
                {
                    _finished = true;
                    return produced;
                }
                if (produced > 0)
                    return produced;
                if (_sourceEnded && Field<uint>(InflateState.AvailIn) == 0)
                    throw new InvalidDataException("The gzip stream ends in the middle of a member.");
            }
        }
    }

    /// <summary>After a member's end: whether another member follows (and is started), as GZipStream reads them.</summary>
    private bool StartNextMember()
    {
        while (Field<uint>(InflateState.AvailIn) < 2 && !_sourceEnded)
            Fill();
        byte* next = (byte*)Field<nint>(InflateState.NextIn);
        if (Field<uint>(InflateState.AvailIn) < 2 || next[0] != 0x1f || next[1] != 0x8b)
            return false;
        Isal.isal_inflate_reset(_state);
        Field<uint>(InflateState.CrcFlag) = Isal.ISAL_GZIP;
        return true;
    }

    /// <summary>Moves the unread input to the buffer's start and reads more behind it.</summary>
    private void Fill()
    {
        int kept = (int)Field<uint>(InflateState.AvailIn);
        Buffer.MemoryCopy((byte*)Field<nint>(InflateState.NextIn), _input, InputSize, kept);
        int n = _source.Read(new Span<byte>(_input + kept, InputSize - kept));
        _sourceEnded = n == 0;
        Field<nint>(InflateState.NextIn) = (nint)_input;
        Field<uint>(InflateState.AvailIn) = (uint)(kept + n);
    }

    private static bool DecompressesProbe()
    {
        try
        {
            using var stream = new IsalGzipStream(new MemoryStream(Probe.ToArray()));
            var text = new byte[8];
            int n = stream.ReadAtLeast(text, text.Length, throwOnEndOfStream: false);
            return text.AsSpan(0, n).SequenceEqual("isal"u8);
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _source.Dispose();
        NativeMemory.Free(_state);
        NativeMemory.Free(_input);
        _state = null;
        _input = null;
        base.Dispose(disposing);
    }
}
