using ContainerTools.Core.Images;

namespace ContainerTools.Core.Registry;

/// <summary>
/// A read-only pass-through that gives up on a source sending nothing for <c>limit</c>: a registry that
/// stops mid-blob without closing would otherwise hold a pull forever. It closes the source, which ends the
/// blocked read, and reports a <see cref="TimeoutException"/> instead of what the closed source threw.
/// </summary>
internal sealed class StallGuardStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly TimeSpan _limit;
    private readonly Timer _watchdog;
    private volatile bool _stalled;

    public StallGuardStream(Stream inner, TimeSpan limit)
    {
        _inner = inner;
        _limit = limit;
        _watchdog = new Timer(_ =>
        {
            _stalled = true;
            _inner.Dispose();
        });
    }

    public override int Read(Span<byte> buffer)
    {
        _watchdog.Change(_limit, Timeout.InfiniteTimeSpan);
        try
        {
            return _inner.Read(buffer);
        }
        catch (Exception e) when (_stalled)
        {
            throw Stalled(e);
        }
        finally
        {
            _watchdog.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _watchdog.Change(_limit, Timeout.InfiniteTimeSpan);
        try
        {
            return await _inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (_stalled)
        {
            throw Stalled(e);
        }
        finally
        {
            _watchdog.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private TimeoutException Stalled(Exception e) =>
        new($"the registry sent nothing for {_limit.TotalSeconds:0.###} s.", e);

    public override long Length => _inner.Length;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _watchdog.Dispose();
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
