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
    /// </summary>
    public unsafe void Pump(SafeHandle stdout, SafeHandle stderr)
    {
        LogLineSplitter[] streams = [new(stdout, LogEntry.Stdout), new(stderr, LogEntry.Stderr)];
        var buffer = new byte[16384];
        Linux.PollFd* polls = stackalloc Linux.PollFd[streams.Length];
        while (streams[0].Open || streams[1].Open)
        {
            for (int i = 0; i < streams.Length; i++)
                // poll(2) skips a negative descriptor: an ended stream is not watched.
                polls[i] = new Linux.PollFd { Fd = streams[i].Open ? streams[i].Fd : -1, Events = Linux.POLLIN };
            if (Linux.poll(polls, (nuint)streams.Length, -1) < 0)
            {
                if (Errno.Last == Errno.EINTR)
                    continue;
                throw new NativeCallException("poll", "container output", Errno.Last);
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
