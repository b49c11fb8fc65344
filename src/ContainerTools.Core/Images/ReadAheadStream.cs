using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace ContainerTools.Core.Images;

/// <summary>
/// Reads its source on a thread of its own, a few chunks ahead of the reader: a layer's download and
/// decompression run on one core while its files are written on another. The source's failure is rethrown,
/// as it was, to the reader. Dispose stops the reading thread and waits for it before disposing the source
/// (unless left open).
/// </summary>
public sealed class ReadAheadStream : ReadOnlyStream
{
    private const int ChunkSize = 1 << 16; // under the large object heap's threshold
    private const int ChunksAhead = 16;

    private readonly Stream _source;
    private readonly bool _leaveOpen;
    private readonly BlockingCollection<(byte[] Chunk, int Count)> _ready = new(ChunksAhead);
    private readonly ConcurrentBag<byte[]> _free = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private Exception? _failure;
    private byte[]? _current;
    private int _offset;
    private int _count;
    private bool _disposed;

    public ReadAheadStream(Stream source, bool leaveOpen = false)
    {
        _source = source;
        _leaveOpen = leaveOpen;
        _reading = Task.Factory.StartNew(ReadAhead, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void ReadAhead()
    {
        try
        {
            while (true)
            {
                byte[] chunk = _free.TryTake(out var reused) ? reused : new byte[ChunkSize];
                int n = _source.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
                if (n == 0)
                    break;
                _ready.Add((chunk, n), _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // the reader is gone
        }
        catch (Exception e)
        {
            _failure = e;
        }
        finally
        {
            _ready.CompleteAdding();
        }
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        if (_offset == _count)
        {
            if (_current is not null)
                _free.Add(_current);
            _current = null;
            if (!_ready.TryTake(out var next, Timeout.Infinite))
            {
                if (_failure is not null)
                    ExceptionDispatchInfo.Throw(_failure);
                return 0;
            }
            (_current, _count, _offset) = (next.Chunk, next.Count, 0);
        }
        int n = Math.Min(buffer.Length, _count - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true; // a stream over this one disposes it too
            _stop.Cancel();
            _reading.Wait();
            if (!_leaveOpen)
                _source.Dispose();
            _ready.Dispose();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
