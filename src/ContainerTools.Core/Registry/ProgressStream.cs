using ContainerTools.Core.Images;

namespace ContainerTools.Core.Registry;

/// <summary>A read-only pass-through that reports how many bytes went by, at most every <see cref="ReportEvery"/> bytes.</summary>
internal sealed class ProgressStream : ReadOnlyStream
{
    private const long ReportEvery = 1 << 20;

    private readonly Stream _inner;
    private readonly Action<long> _report;
    private long _read;
    private long _reported;

    public ProgressStream(Stream inner, Action<long> report)
    {
        _inner = inner;
        _report = report;
    }

    public override int Read(Span<byte> buffer)
    {
        return Count(_inner.Read(buffer));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        return Count(await _inner.ReadAsync(buffer, cancellationToken));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        _read += n;
        if (_read - _reported >= ReportEvery || n == 0)
        {
            _reported = _read;
            _report(_read);
        }
        return n;
    }

    public override long Length => _inner.Length;
    public override long Position { get => _read; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _inner.Dispose();
        base.Dispose(disposing);
    }
}
