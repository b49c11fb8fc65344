using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ContainerTools.Core.Images.Oci;

/// <summary>Reading and writing the image formats' JSON; malformed input is the archive's fault (InvalidData), not a crash.</summary>
public static class OciJson
{
    /// <summary>Manifests, indexes and configs larger than this are refused before parsing (registries use 4 MiB).</summary>
    public const int MaxDocumentSize = 4 * 1024 * 1024;

    public static T Parse<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> type, string what, object? target)
    {
        if (json.Length > MaxDocumentSize)
            throw new EngineException("DocumentTooLarge", ErrorKind.LimitsExceeded, target, $"The {what} is larger than {MaxDocumentSize} bytes.");
        try
        {
            return JsonSerializer.Deserialize(json, type)
                ?? throw new EngineException("InvalidImageDocument", ErrorKind.InvalidData, target, $"The {what} is empty (null).");
        }
        catch (JsonException e)
        {
            throw new EngineException("InvalidImageDocument", ErrorKind.InvalidData, target, $"The {what} is not valid JSON: {e.Message}", e);
        }
    }

    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);
}
