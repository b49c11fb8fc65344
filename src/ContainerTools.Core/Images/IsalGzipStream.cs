using System.Runtime.InteropServices;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Images;

/// <summary>
/// A gzip stream decompressed by ISA-L (<see cref="Isal"/>), read as GZipStream reads one: members one after the
/// other are one stream, each member's CRC-32 and length are checked, what follows the last member without a
/// gzip magic is ignored, and bad or cut-off data is an <see cref="InvalidDataException"/>.
/// </summary>
public sealed unsafe class IsalGzipStream : ReadOnlyStream
{
    private const int InputSize = 1 << 17;

    private static readonly Lazy<bool> Checked = new(() => Isal.Available && DecodesAsGZipStreamEncodes());

    /// <summary>
    /// Whether ISA-L is here and this library's idea of its struct's fields holds: two members made by GZipStream
    /// decode to what went in (wrong offsets fail that as bad data, not silently), once per process.
    /// </summary>
    public static bool Usable => Checked.Value;

    private readonly Stream _compressed;
    private readonly Isal.InflateState* _state;
    private readonly byte* _input;
    private bool _sourceEnded;
    private bool _finished;
    private bool _disposed;

    /// <summary>Decompresses <paramref name="compressed"/>, which it owns.</summary>
    public IsalGzipStream(Stream compressed)
    {
        _compressed = compressed;
        _state = (Isal.InflateState*)NativeMemory.AllocZeroed(Isal.InflateStateRoom);
        _input = (byte*)NativeMemory.Alloc(InputSize);
        Isal.isal_inflate_init(_state);
        _state->CrcFlag = Isal.ISAL_GZIP;
    }

    ~IsalGzipStream() => Dispose(false);

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _finished)
            return 0;
        fixed (byte* output = buffer)
        {
            _state->NextOut = output;
            _state->AvailOut = (uint)buffer.Length;
            while (true)
            {
                if (_state->AvailIn == 0)
                    Refill();
                uint inputBefore = _state->AvailIn;
                int result = Isal.isal_inflate(_state);
                if (result < 0)
                    throw new InvalidDataException(result == Isal.ISAL_INCORRECT_CHECKSUM ? "The gzip data does not match its checksum." : $"The gzip data is corrupt (ISA-L inflate error {result}).");
                int produced = buffer.Length - (int)_state->AvailOut;
                if (_state->BlockState == Isal.ISAL_BLOCK_FINISH && !NextMember())
                {
                    _finished = true;
                    return produced;
                }
                if (produced > 0)
                    return produced;
                if (_state->AvailIn == inputBefore) // nothing taken or made: it needs more input than it holds (a header)
                    MoreInput();
            }
        }
    }

    /// <summary>After a member's trailer: starts the next member if a gzip magic follows; false at the end of the stream.</summary>
    private bool NextMember()
    {
        while (_state->AvailIn < 2 && !_sourceEnded)
            Refill();
        if (_state->AvailIn < 2 || _state->NextIn[0] != 0x1f || _state->NextIn[1] != 0x8b)
            return false;
        byte* nextIn = _state->NextIn;
        uint availIn = _state->AvailIn;
        Isal.isal_inflate_reset(_state);
        _state->NextIn = nextIn;
        _state->AvailIn = availIn;
        _state->CrcFlag = Isal.ISAL_GZIP;
        return true;
    }

    /// <summary>Input for an inflate that could not go on with what it holds: none is left, or a full buffer did not help (a misread struct).</summary>
    private void MoreInput()
    {
        if (_sourceEnded)
            throw new InvalidDataException("The gzip data ends before its end of stream.");
        if (_state->AvailIn == InputSize)
            throw new InvalidDataException("ISA-L's inflate stopped making progress.");
        Refill();
    }

    /// <summary>Moves unread input to the front of the buffer and reads more after it.</summary>
    private void Refill()
    {
        if (_sourceEnded)
            return;
        uint kept = _state->AvailIn;
        Buffer.MemoryCopy(_state->NextIn, _input, InputSize, kept);
        int n = _compressed.Read(new Span<byte>(_input + kept, InputSize - (int)kept));
        _sourceEnded = n == 0;
        _state->NextIn = _input;
        _state->AvailIn = kept + (uint)n;
    }

    private static bool DecodesAsGZipStreamEncodes()
    {
        byte[] text = System.Text.Encoding.ASCII.GetBytes("ContainerTools checks ISA-L's inflate, ISA-L's inflate.");
        var gzip = new MemoryStream();
        for (int member = 0; member < 2; member++)
        {
            using var encoder = new System.IO.Compression.GZipStream(gzip, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true);
            encoder.Write(text);
        }
        gzip.Position = 0;
        try
        {
            using var decoded = new IsalGzipStream(gzip);
            var output = new MemoryStream();
            decoded.CopyTo(output);
            return output.ToArray().AsSpan().SequenceEqual([.. text, .. text]);
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            NativeMemory.Free(_state);
            NativeMemory.Free(_input);
            if (disposing)
                _compressed.Dispose();
        }
        base.Dispose(disposing);
    }
}
