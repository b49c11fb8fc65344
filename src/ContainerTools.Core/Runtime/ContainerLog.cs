using System.Text;
using System.Text.Json;
using System.Runtime.InteropServices;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Native;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// ctr.log: the container's stdout and stderr as JSON lines with timestamps, appended by its monitor and
/// read by anyone. One writer per container; lines of both streams are interleaved in arrival order.
/// </summary>
public sealed class ContainerLog : IDisposable
{
    private readonly FileStream _file;

    public ContainerLog(string path) =>
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>
    /// Copies the container's stdout and stderr pipes into the log line by line until both end (every writer
    /// in the container closed them), on the calling thread alone: one poll(2) over both, so a monitor needs
    /// no thread per stream. Lines of the two streams are appended in the order they arrive.
    /// <paramref name="settled"/> runs once when the pump has run for <paramref name="settleAfter"/>: work for a
    /// container that lives on, which one that ends sooner never waits for.
    /// </summary>
    public unsafe void Pump(SafeHandle stdout, SafeHandle stderr, TimeSpan settleAfter, Action settled)
    {
        LogLineSplitter[] streams = [new(stdout, LogEntry.Stdout), new(stderr, LogEntry.Stderr)];
        var buffer = new byte[16384];
        Linux.PollFd* polls = stackalloc Linux.PollFd[streams.Length];
        long settleAt = Environment.TickCount64 + (long)settleAfter.TotalMilliseconds;
        while (streams[0].Open || streams[1].Open)
        {
            for (int i = 0; i < streams.Length; i++)
                // poll(2) skips a negative descriptor: an ended stream is not watched.
                polls[i] = new Linux.PollFd { Fd = streams[i].Open ? streams[i].Fd : -1, Events = Linux.POLLIN };
            int timeout = settleAt < 0 ? -1 : (int)Math.Max(0, settleAt - Environment.TickCount64);
            int ready = Linux.poll(polls, (nuint)streams.Length, timeout);
            if (ready < 0)
            {
                if (Errno.Last == Errno.EINTR)
                    continue;
                throw new NativeCallException("poll", "container output", Errno.Last);
            }
            if (ready == 0 && settleAt >= 0)
            {
                settleAt = -1;
                settled();
                continue;
            }
            for (int i = 0; i < streams.Length; i++)
            {
                // A hang-up can come with data still buffered: read until read(2) says the end.
                if (polls[i].Fd >= 0 && polls[i].Revents != 0)
                    streams[i].ReadOnce(buffer, Append);
            }
        }
    }

    private void Append(string stream, ReadOnlySpan<byte> line)
    {
        var entry = new LogEntry(DateTime.UtcNow, stream, Encoding.UTF8.GetString(line));
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(entry, LogJson.Default.LogEntry);
        _file.Write(json);
        _file.WriteByte((byte)'\n');
        _file.Flush();
    }

    /// <summary>Reads the entries from <paramref name="offset"/>; returns the offset after the last complete line.</summary>
    public static long Read(string path, long offset, List<LogEntry> into)
    {
        if (!File.Exists(path))
            return offset;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (file.Length <= offset)
            return offset;
        file.Position = offset;
        var bytes = new byte[file.Length - offset];
        file.ReadExactly(bytes);
        int start = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'\n')
                continue;
            if (JsonSerializer.Deserialize(bytes.AsSpan(start, i - start), LogJson.Default.LogEntry) is { } entry)
                into.Add(entry);
            start = i + 1;
        }
        return offset + start;
    }

    public void Dispose() => _file.Dispose();
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(LogEntry))]
internal sealed partial class LogJson : System.Text.Json.Serialization.JsonSerializerContext;
