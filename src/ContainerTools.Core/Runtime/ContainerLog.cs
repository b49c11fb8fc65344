using System.Text;
using System.Text.Json;
using ContainerTools.Core.Containers;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// ctr.log: the container's stdout and stderr as JSON lines with timestamps, appended by its monitor and
/// read by anyone. One writer per container; lines of both streams are interleaved in arrival order.
/// </summary>
public sealed class ContainerLog : IDisposable
{
    private readonly FileStream _file;
    private readonly Lock _lock = new();

    public ContainerLog(string path) =>
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>Copies a stream into the log line by line until it ends (the writers in the container closed it).</summary>
    public void Pump(Stream source, string stream)
    {
        var pending = new MemoryStream();
        var buffer = new byte[16384];
        int read;
        while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                    continue;
                pending.Write(buffer, start, i - start);
                Append(stream, pending);
                start = i + 1;
            }
            pending.Write(buffer, start, read - start);
        }
        if (pending.Length > 0)
            Append(stream, pending);
    }

    private void Append(string stream, MemoryStream line)
    {
        var entry = new LogEntry(DateTime.UtcNow, stream, Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length));
        line.SetLength(0);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(entry, LogJson.Default.LogEntry);
        lock (_lock)
        {
            _file.Write(json);
            _file.WriteByte((byte)'\n');
            _file.Flush();
        }
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
