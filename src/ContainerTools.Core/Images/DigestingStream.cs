using System.Security.Cryptography;

namespace ContainerTools.Core.Images;

/// <summary>A read-only pass-through that hashes and counts what is read, so content is verified while it streams.</summary>
public sealed class DigestingStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly bool _leaveOpen;

    public DigestingStream(Stream inner, bool leaveOpen = false)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    public long BytesRead { get; private set; }

    /// <summary>The digest of everything read so far.</summary>
    public string Digest => Images.Digest.FromHash(_hash.GetCurrentHash());

    public override int Read(Span<byte> buffer)
    {
        int n = _inner.Read(buffer);
        _hash.AppendData(buffer[..n]);
        BytesRead += n;
        return n;
    }

    public override long Position { get => BytesRead; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (!_leaveOpen)
                _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
