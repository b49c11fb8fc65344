using System.Text.Json.Serialization;

namespace ContainerTools.Core.Networking;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NetworkAttachment))]
internal sealed partial class NetworkingJsonContext : JsonSerializerContext;
