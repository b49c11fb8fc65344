using System.Runtime.InteropServices;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// One of a container's output pipes as its log sees it: each read is cut into complete lines, the part
/// after the last newline waits for the next read, and what is left at the end is a last line of its own.
/// </summary>
internal sealed class LogLineSplitter(SafeHandle pipe, string stream)
{
    private readonly MemoryStream _pending = new();

    public bool Open { get; private set; } = true;
    public int Fd => (int)pipe.DangerousGetHandle();

    /// <summary>One read(2) (the pipe is ready): hands every completed line to <paramref name="append"/>.</summary>
    public unsafe void ReadOnce(byte[] buffer, Action<string, ReadOnlySpan<byte>> append)
    {
        nint read;
        fixed (byte* into = buffer)
            read = Linux.read(Fd, into, (nuint)buffer.Length);
        if (read < 0)
        {
            if (Errno.Last is Errno.EINTR or Errno.EAGAIN)
                return;
            throw new NativeCallException("read", stream, Errno.Last);
        }
        if (read == 0)
        {
            if (_pending.Length > 0)
                append(stream, Pending());
            Open = false;
            return;
        }
        var data = buffer.AsSpan(0, (int)read);
        int newline;
        while ((newline = data.IndexOf((byte)'\n')) >= 0)
        {
            _pending.Write(data[..newline]);
            append(stream, Pending());
            _pending.SetLength(0);
            data = data[(newline + 1)..];
        }
        _pending.Write(data);
    }

    private ReadOnlySpan<byte> Pending() => _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
}
