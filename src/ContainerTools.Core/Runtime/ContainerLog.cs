using System.Text;
using System.Text.Json;
using System.Runtime.InteropServices;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// ctr.log: the container's stdout and stderr as JSON lines with timestamps, appended by its monitor and
/// read by anyone. One writer per container; lines of both streams are interleaved in arrival order.
/// </summary>
public sealed class ContainerLog : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly string _path;
    private readonly LogLineSplitter[] _streams;

    /// <remarks>A plain O_APPEND descriptor, not a FileStream: one write(2) per line, and the monitor's steady state
    /// touches no stream machinery (its pages count in every running container's monitor).</remarks>
    public ContainerLog(string path)
    {
        _path = path;
        _file = new SafeFileHandle(Errno.Check(Linux.openat(Linux.AT_FDCWD, path, Linux.O_WRONLY | Linux.O_APPEND | Linux.O_CREAT | Linux.O_CLOEXEC, 0x1b6 /* 0666 */), "open", path), ownsHandle: true);
        _streams = [new(LogEntry.Stdout, Append), new(LogEntry.Stderr, Append)];
    }

    /// <summary>True while a stream's last bytes wait for their newline: only this process could still write that line.</summary>
    public bool HasPartialLine => _streams.Any(stream => stream.HasPending);

    /// <summary>
    /// Copies the container's stdout and stderr pipes into the log line by line until both end (every writer
    /// in the container closed them), on the calling thread alone: one poll(2) over both, so a monitor needs
    /// no thread per stream. Lines of the two streams are appended in the order they arrive.
    /// <paramref name="settled"/> runs when the pump has run for <paramref name="settleAfter"/> (work for a
    /// container that lives on, which one that ends sooner never waits for), again after as long while it returns false.
    /// </summary>
    public void Pump(SafeHandle stdout, SafeHandle stderr, TimeSpan? settleAfter = null, Func<bool>? settled = null) =>
        PipeDrain.Run([stdout, stderr], (data, i) => _streams[i].Take(data), "container output", settleAfter, settled);

    private void Append(string stream, ReadOnlySpan<byte> line)
    {
        var entry = new LogEntry(DateTime.UtcNow, stream, Encoding.UTF8.GetString(line));
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(entry, LogJson.Default.LogEntry);
        var record = new byte[json.Length + 1];
        json.CopyTo(record, 0);
        record[^1] = (byte)'\n';
        Linux.WriteAll((int)_file.DangerousGetHandle(), record, _path);
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
