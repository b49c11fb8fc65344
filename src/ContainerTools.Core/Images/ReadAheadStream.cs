using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace ContainerTools.Core.Images;

/// <summary>
/// Reads its source on a thread of its own, a few chunks ahead of the reader: a layer's download and
/// decompression run on one core while its files are written on another. The source's failure is rethrown,
/// as it was, to the reader. Dispose stops the reading thread and waits for it before disposing the source
/// (unless left open). The two sides wait on a monitor, which sleeps at once: a spinning wait (as
/// BlockingCollection's) burns the core the other stages of a pull need.
/// </summary>
public sealed class ReadAheadStream : ReadOnlyStream
{
    private const int ChunkSize = 1 << 18; // few hand-overs between the stages; the chunks are reused, so the large object heap is no cost
    private const int ChunksAhead = 8;

    private readonly Stream _source;
    private readonly bool _leaveOpen;
    private readonly Queue<(byte[] Chunk, int Count)> _ready = new(ChunksAhead);
    private readonly object _gate = new();
    private readonly ConcurrentBag<byte[]> _free = [];
    private readonly Task _reading;
    private bool _ended; // the reading thread has stopped (end, failure or Dispose); guarded by _gate
    private bool _stopping; // Dispose asked the reading thread to stop; guarded by _gate
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
                lock (_gate)
                {
                    while (_ready.Count == ChunksAhead && !_stopping)
                        Monitor.Wait(_gate);
                    if (_stopping)
                        break; // the reader is gone
                    _ready.Enqueue((chunk, n));
                    if (_ready.Count == 1)
                        Monitor.PulseAll(_gate); // the reader may wait for it
                }
            }
        }
        catch (Exception e)
        {
            _failure = e;
        }
        finally
        {
            lock (_gate)
            {
                _ended = true;
                Monitor.PulseAll(_gate);
            }
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
            (byte[] Chunk, int Count) next;
            lock (_gate)
            {
                while (_ready.Count == 0 && !_ended)
                    Monitor.Wait(_gate);
                if (!_ready.TryDequeue(out next))
                {
                    if (_failure is not null)
                        ExceptionDispatchInfo.Throw(_failure);
                    return 0;
                }
                if (_ready.Count == ChunksAhead - 1)
                    Monitor.PulseAll(_gate); // the reading thread may wait for room
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
            lock (_gate)
            {
                _stopping = true;
                Monitor.PulseAll(_gate);
            }
            _reading.Wait();
            if (!_leaveOpen)
                _source.Dispose();
        }
        base.Dispose(disposing);
    }
}
