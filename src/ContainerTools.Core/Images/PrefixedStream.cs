namespace ContainerTools.Core.Images;

/// <summary>Bytes already read from a stream, then the rest of it: sniffing a stream that cannot rewind.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : ReadOnlyStream
{
    private int _served;

    public override int Read(Span<byte> buffer)
    {
        if (_served == prefix.Length)
            return rest.Read(buffer);
        int n = Math.Min(buffer.Length, prefix.Length - _served);
        prefix.AsSpan(_served, n).CopyTo(buffer);
        _served += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            rest.Dispose();
        base.Dispose(disposing);
    }
}
