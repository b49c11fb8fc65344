using System.Text.Encodings.Web;
using System.Text.Json;

namespace ContainerTools.Core.Build.Planning;

/// <summary>An exec-form array as history shows it: JSON, with &amp;, &lt;, quotes of the shell etc. left readable.</summary>
public static class JsonArrayText
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(IEnumerable<string>? items)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartArray();
            foreach (string item in items ?? [])
                writer.WriteStringValue(item);
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
