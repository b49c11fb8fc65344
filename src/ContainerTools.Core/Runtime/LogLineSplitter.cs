namespace ContainerTools.Core.Runtime;

/// <summary>
/// One of a container's output streams as its log sees it: what is read is cut into complete lines, the part
/// after the last newline waits for the next read, and what is left at the end is a last line of its own.
/// </summary>
internal sealed class LogLineSplitter(string stream, Action<string, ReadOnlySpan<byte>> append)
{
    private readonly MemoryStream _pending = new();

    public bool HasPending => _pending.Length > 0;

    /// <summary>What one read gave, empty at the stream's end: every completed line goes to the log.</summary>
    public void Take(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            if (_pending.Length > 0)
                append(stream, Pending());
            return;
        }
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
