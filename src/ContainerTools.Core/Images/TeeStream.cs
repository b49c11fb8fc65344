namespace ContainerTools.Core.Images;

/// <summary>A read-only pass-through that appends every byte read to an <see cref="IncomingBlob"/>: one pass stores and unpacks a layer.</summary>
public sealed class TeeStream(Stream source, IncomingBlob blob) : ReadOnlyStream
{
    public override int Read(Span<byte> buffer)
    {
        int n = source.Read(buffer);
        blob.Append(buffer[..n]);
        return n;
    }

}
