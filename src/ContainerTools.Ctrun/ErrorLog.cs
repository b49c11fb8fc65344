using System.Text.Json;

namespace ContainerTools.Ctrun;

/// <summary>Where errors go, as runc sends them: stderr always, and --log as text or JSON lines (--log-format json).</summary>
public sealed class ErrorLog(string? path, bool json)
{
    public void Error(string message)
    {
        Console.Error.WriteLine("ctrun: " + message);
        if (path is null)
            return;
        string time = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        string line = json
            ? $"{{\"level\":\"error\",\"msg\":{JsonEncode(message)},\"time\":\"{time}\"}}"
            : $"time=\"{time}\" level=error msg={JsonEncode(message)}";
        try
        {
            File.AppendAllText(path, line + "\n");
        }
        catch (IOException)
        {
            // The message is on stderr already.
        }
    }

    private static string JsonEncode(string text)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            writer.WriteStringValue(text);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
